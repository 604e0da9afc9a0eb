"""Sends the batches concurrently within the run's deadline, token budget and circuit breaker.

The SDK retries 429/5xx itself and may wait up to two minutes on a Retry-After, so the run keeps its own
limits: a deadline for the whole step, a token budget (each request reserves an estimate before it starts,
so concurrent requests cannot overshoot together), and a breaker that stops asking after repeated failures.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from narrator.config import LlmSettings
from narrator.polish.client import BatchFailed, BatchReply, ask, make_client, request_options
from narrator.polish.prompts import Prompt
from narrator.polish.report import Usage
from narrator.tell.story import Segment

FAILURES_TO_OPEN = 3  # consecutive failed requests after which the endpoint is presumed down
MAX_BATCH = 12  # segments per request: larger replies risk truncation and cost more when one fails


@dataclass
class RunTally:
    """Requests made and tokens spent, shared by every batch of the run."""

    usage: Usage = field(default_factory=Usage)
    requests: int = 0


def plan_batches(segments: Sequence[Segment]) -> list[list[Segment]]:
    """Segments grouped by section ("outcome.bullets.2" -> "outcome"), at most MAX_BATCH per batch.

    A section is the natural unit: its sentences read together, so the model sees their context, and a
    pack has few sections, so the whole pack takes about one round-trip per ``concurrency`` batches.
    """
    groups: dict[str, list[Segment]] = {}
    for segment in segments:
        section = segment.id.split(".", 1)[0] if "." in segment.id else ""
        groups.setdefault(section, []).append(segment)
    return [group[i : i + MAX_BATCH] for group in groups.values() for i in range(0, len(group), MAX_BATCH)]


def batch_messages(prompt: Prompt, batch: Sequence[Segment], locale: str) -> list[dict[str, str]]:
    # Only masked text leaves the machine: values are tokens, so neither figures nor data strings do.
    payload = {"segments": [{"id": s.id, "text": s.masked()} for s in batch]}
    return prompt.messages(locale=locale, segments=json.dumps(payload, ensure_ascii=False, indent=2))


async def send_batches(
    batches: Sequence[list[Segment]],
    *,
    prompt: Prompt,
    settings: LlmSettings,
    endpoint: str,
    api_key: str,
    locale: str,
    started: float,
) -> tuple[list[BatchReply | str], RunTally]:
    """The reply, or the reason there is none, for each batch in order."""
    tally = RunTally()
    limits = _Limits(settings, started)
    semaphore = asyncio.Semaphore(settings.concurrency)
    options = request_options(settings, endpoint)

    def spend(usage: Usage) -> None:
        tally.usage += usage
        limits.spent += usage.total_tokens

    async with make_client(settings, endpoint, api_key) as client:

        async def one(batch: list[Segment]) -> BatchReply | str:
            async with semaphore:
                messages = batch_messages(prompt, batch, locale)
                estimate = _estimate_tokens(messages, batch)
                refusal = limits.refuse(estimate)
                if refusal:
                    return refusal
                tally.requests += 1
                limits.reserved += estimate
                try:
                    reply = await asyncio.wait_for(ask(client, messages, options), limits.remaining())
                except TimeoutError:
                    return "deadline"
                except BatchFailed as failed:
                    spend(failed.usage or _estimated_usage(estimate))
                    limits.failed(fatal=failed.fatal)
                    return failed.reason
                except Exception as exc:  # a run never fails because the model or the network did
                    spend(_estimated_usage(estimate))
                    limits.failed(fatal=False)
                    return f"unexpected error ({type(exc).__name__})"
                finally:
                    limits.reserved -= estimate
                spend(reply.usage or _estimated_usage(estimate))
                limits.succeeded()
                return reply

        results = await asyncio.gather(*(one(b) for b in batches))
    return list(results), tally


class _Limits:
    def __init__(self, settings: LlmSettings, started: float):
        self.deadline_at = started + settings.deadline
        self.budget = settings.token_budget
        self.spent = 0
        self.reserved = 0
        self.failures_in_a_row = 0
        self.open = False

    def remaining(self) -> float:
        return max(self.deadline_at - time.monotonic(), 0.0)

    def refuse(self, estimate: int) -> str | None:
        if self.open:
            return "circuit open"
        if self.remaining() <= 0:
            return "deadline"
        if self.spent + self.reserved + estimate > self.budget:
            return "token budget"
        return None

    def failed(self, *, fatal: bool) -> None:
        self.failures_in_a_row += 1
        self.open = self.open or fatal or self.failures_in_a_row >= FAILURES_TO_OPEN

    def succeeded(self) -> None:
        self.failures_in_a_row = 0


def _estimate_tokens(messages: list[dict[str, str]], batch: Sequence[Segment]) -> int:
    # About three characters a token for English, erring high; the reply is about as long as the input.
    sent = sum(len(m["content"]) for m in messages)
    back = sum(len(s.masked()) + len(s.id) + 20 for s in batch)
    return (sent + back) // 3 + 1


def _estimated_usage(estimate: int) -> Usage:
    return Usage(prompt_tokens=estimate, completion_tokens=0, total_tokens=estimate)
