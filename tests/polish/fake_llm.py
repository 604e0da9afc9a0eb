"""A scriptable OpenAI-compatible chat-completions server on 127.0.0.1: tests never leave the host."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """What the server answers to one request."""

    status: int = 200
    body: dict | str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    raw: bytes
    json: dict

    def segments(self) -> list[dict]:
        return segments_of(self.json)


Script = Callable[[Received, int], Reply]  # (request, 0-based request number) -> reply


def segments_of(request: dict) -> list[dict]:
    """The {"id", "text"} segments the client sent, from its user message."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    return json.loads(user[user.index("{") :])["segments"]


def completion(
    content: str | None,
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    usage: tuple[int, int] = (120, 80),
) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
    }


def rewriting(rewrite: Callable[[str, str], str], **kwargs) -> Script:
    """A script that answers every request with each segment's text passed through rewrite(id, text)."""

    def script(request: Received, number: int) -> Reply:
        segments = [{"id": s["id"], "text": rewrite(s["id"], s["text"])} for s in request.segments()]
        return Reply(body=completion(json.dumps({"segments": segments}, ensure_ascii=False), **kwargs))

    return script


class FakeLLM:
    """Serves POST /v1/chat/completions by calling ``script``; records every request it receives."""

    def __init__(self, script: Script | None = None):
        self.script: Script = script or rewriting(lambda _id, text: text)
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        # A short poll interval keeps teardown quick: shutdown() waits up to one interval.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeLLM:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def answer(self, received: Received) -> Reply:
        with self._lock:
            number = len(self.received)
            self.received.append(received)
        return self.script(received, number)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a slow scripted reply must not hold up the test's teardown


def _handler_for(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(Reply(status=404, body={"error": {"message": "not found"}}))
                return
            headers = {name.lower(): value for name, value in self.headers.items()}
            received = Received(self.path, headers, raw, json.loads(raw))
            reply = fake.answer(received)
            if reply.delay:
                time.sleep(reply.delay)
            self._send(reply)

        def _send(self, reply: Reply) -> None:
            body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
            data = body.encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test); nothing to answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


# What a well-behaved model does: better words, every token, number and claim word left in place.
_FAITHFUL = (
    ("The centre", "Our contact centre"),
    ("the centre", "our contact centre"),
    ("is asked to approve", "is invited to approve"),
    ("Introduce call-back", "Offer a call-back service"),
    ("Extend opening hours", "Lengthen opening hours"),
    ("Customers who wait", "Customers who are kept waiting"),
    ("Demand on the", "Demand for the"),
    ("Retained customers and avoided cost", "Customer retention and avoided cost"),
    ("Retention of at-risk customers", "Keeping at-risk customers"),
    ("These estimates use", "These estimates rely on"),
)


def faithful(_id: str, text: str) -> str:
    for old, new in _FAITHFUL:
        text = text.replace(old, new)
    # A model cannot know how a hidden value sounds and often writes "a"; the polish step fixes it.
    return re.sub(r"\ban ⟦", "a ⟦", text)
