"""One chat-completions request for a batch of masked segments, with every failure turned into a reason.

Plain ``create()`` and local JSON parsing, because json_schema response formats are not served by every
OpenAI-compatible endpoint (llama.cpp answers 500). Failures raise ``BatchFailed`` with a short reason for
the run record; nothing else escapes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import openai

from narrator.config import LlmSettings
from narrator.polish.report import Usage

OPENAI_URL = "https://api.openai.com/v1"
_FENCE = re.compile(r"^```[a-zA-Z]*\s*\n?(.*?)\n?```$", re.S)


class BatchFailed(Exception):
    """A request gave no usable answer; every segment of the batch keeps its template text."""

    def __init__(self, reason: str, *, usage: Usage | None = None, fatal: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.usage = usage  # tokens spent even though the answer is unusable (truncated, refused)
        self.fatal = fatal  # no later request can succeed either (bad key, unknown model)


@dataclass(frozen=True)
class BatchReply:
    texts: dict[str, str | None]  # rewrite by segment id; None when the reply repeated the id
    usage: Usage | None


def resolve_endpoint(settings: LlmSettings, env: Mapping[str, str]) -> str:
    """settings.base_url, else OPENAI_BASE_URL from ``env``, else OpenAI (never the SDK's own lookup)."""
    return (settings.base_url or env.get("OPENAI_BASE_URL") or OPENAI_URL).rstrip("/")


def make_client(settings: LlmSettings, endpoint: str, api_key: str) -> openai.AsyncOpenAI:
    # Everything explicit: the SDK would otherwise read OPENAI_* itself and wait 600 s per request.
    return openai.AsyncOpenAI(
        api_key=api_key, base_url=endpoint, timeout=settings.timeout, max_retries=settings.max_retries
    )


def request_options(settings: LlmSettings, endpoint: str) -> dict[str, object]:
    """Model and sampling parameters: only those set, since some models reject any temperature."""
    options: dict[str, object] = {"model": settings.model}
    if settings.temperature is not None:
        options["temperature"] = settings.temperature
    if settings.seed is not None:
        options["seed"] = settings.seed
    if urlsplit(endpoint).hostname == "api.openai.com":
        options["store"] = False  # compatible servers may reject the unknown parameter
    return options


async def ask(
    client: openai.AsyncOpenAI, messages: list[dict[str, str]], options: Mapping[str, object]
) -> BatchReply:
    """Send one batch; the reply's segments by id, or BatchFailed with the reason."""
    try:
        response = await client.chat.completions.create(messages=messages, **options)
    except openai.OpenAIError as exc:
        raise BatchFailed(failure_reason(exc), fatal=_is_fatal(exc)) from exc
    except ValueError as exc:  # a body that is not JSON reaches us as json's own error
        raise BatchFailed("invalid JSON") from exc
    # The SDK does not validate replies, so a server that is only nearly compatible can send any shape.
    try:
        usage = _usage(response)
        choice = response.choices[0] if response.choices else None
        finish, message = (choice.finish_reason, choice.message) if choice else (None, None)
        content, refusal = (message.content, getattr(message, "refusal", None)) if message else (None, None)
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        raise BatchFailed("invalid reply") from exc
    if choice is None:
        raise BatchFailed("empty reply", usage=usage)
    if finish == "length":
        raise BatchFailed("truncated", usage=usage)
    if finish == "content_filter" or refusal:
        raise BatchFailed("refused", usage=usage)
    if not isinstance(content, str):
        raise BatchFailed("invalid reply", usage=usage)
    return BatchReply(texts=parse_reply(content, usage), usage=usage)


def parse_reply(content: str, usage: Usage | None = None) -> dict[str, str | None]:
    """Rewrites by id from a {"segments": [{"id", "text"}]} reply, tolerating a ```json fence."""
    text = content.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        data = json.loads(text)
    except ValueError:
        # Some models wrap the JSON in a sentence; take the outermost object if there is one.
        start, end = text.find("{"), text.rfind("}")
        try:
            data = json.loads(text[start : end + 1]) if 0 <= start < end else None
        except ValueError:
            data = None
        if data is None:
            raise BatchFailed("invalid JSON", usage=usage) from None
    items = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise BatchFailed("invalid JSON: no segments list", usage=usage)
    texts: dict[str, str | None] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("text"), str):
            # An id given twice is ambiguous; neither answer is trusted.
            texts[item["id"]] = None if item["id"] in texts else item["text"]
    return texts


def failure_reason(exc: Exception) -> str:
    """A short, stable reason for the run record."""
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection refused" if _refused(exc) else "connection error"
    if isinstance(exc, openai.RateLimitError):
        return "rate limited"
    if isinstance(exc, openai.AuthenticationError):
        return "authentication failed (401): check the API key"
    if isinstance(exc, openai.PermissionDeniedError):
        return "permission denied (403)"
    if isinstance(exc, openai.NotFoundError):
        return "not found (404): check llm.model and llm.base_url"
    if isinstance(exc, openai.BadRequestError):
        return "bad request (400): the endpoint rejected a parameter"
    if isinstance(exc, openai.APIStatusError):
        code = exc.status_code
        return f"server error {code}" if code >= 500 else f"HTTP error {code}"
    if isinstance(exc, openai.LengthFinishReasonError):
        return "truncated"
    if isinstance(exc, openai.ContentFilterFinishReasonError):
        return "refused"
    if isinstance(exc, openai.APIResponseValidationError):
        return "invalid reply"
    return f"API error ({type(exc).__name__})"


def _is_fatal(exc: Exception) -> bool:
    return isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError | openai.NotFoundError)


def _refused(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(10):  # the transport wraps the OS error a few levels deep
        if seen is None:
            return False
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _usage(response: object) -> Usage | None:
    usage = getattr(response, "usage", None)
    if usage is None:
        return None
    prompt, completion = int(usage.prompt_tokens or 0), int(usage.completion_tokens or 0)
    total = int(usage.total_tokens or 0) or prompt + completion
    return Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=total)
