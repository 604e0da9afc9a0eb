"""The optional polish stage: a language model rewords the Story's segments with every value locked.

Only masked text is sent (values are opaque tokens), every rewrite passes deterministic checks before
its values are put back, and any failure keeps the template text for that segment (the design and its
reasons: the "LLM polish with the numbers locked" design note). ``polish_story`` lists the steps.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from narrator.config import LlmSettings
from narrator.polish.articles import fix_articles
from narrator.polish.cache import PolishCache
from narrator.polish.client import BatchReply, resolve_endpoint
from narrator.polish.prompts import Prompt, find_prompt, load_prompt
from narrator.polish.report import PolishReport, PolishResult, SegmentOutcome, Usage
from narrator.polish.runner import plan_batches, send_batches
from narrator.polish.validate import check_rewrite, instruction_vocabulary
from narrator.tell.story import TOKEN_PATTERN, Segment, Story

__all__ = ["PolishReport", "PolishResult", "SegmentOutcome", "Usage", "polish_story"]

_WORDS = re.compile(r"[^\W\d_]")


def polish_story(
    story: Story, settings: LlmSettings, *, config_dir: Path, env: Mapping[str, str] | None = None
) -> PolishResult:
    """Polish every segment's wording; values, and any segment whose rewrite fails a check, stay as they are.

    ``config_dir`` is the folder of the pack's config: the cache and a pack's own ``prompts/polish.yaml``
    live there. ``env`` replaces ``os.environ`` for the API key and OPENAI_BASE_URL. The caller decides
    whether to polish at all (``settings.enabled`` or ``--polish``). Raises ConfigError only for an invalid
    prompt file; model and network failures are recorded per segment, never raised.
    """
    started = time.monotonic()
    env = os.environ if env is None else env
    prompt = load_prompt(find_prompt(config_dir))
    endpoint = resolve_endpoint(settings, env)
    cache = PolishCache(
        _cache_folder(settings, Path(config_dir)), context=_cache_context(prompt, settings, endpoint, story)
    )
    system = prompt.messages(locale=story.locale, segments="")[0]["content"]
    checks = _Checks(
        instruction_words=instruction_vocabulary(system, (s.masked() for s in story.segments())),
        secrets=_secrets(settings, env),
    )

    outcomes: dict[str, SegmentOutcome] = {}
    accepted: dict[str, Segment] = {}
    pending: list[Segment] = []
    for segment in story.segments():
        if not _WORDS.search(TOKEN_PATTERN.sub("", segment.masked())):
            outcomes[segment.id] = SegmentOutcome(status="skipped", reason="no words to polish")
            continue
        restored = _accept(segment, cache.get(segment.masked()), checks)
        if isinstance(restored, Segment):
            accepted[segment.id], outcomes[segment.id] = restored, SegmentOutcome(status="cached")
        else:
            pending.append(segment)

    replies, usage, requests = _request(pending, prompt, settings, endpoint, env, story.locale, started)
    for segment, reply in zip(pending, replies, strict=True):
        restored = _accept(segment, reply, checks)
        if isinstance(restored, Segment):
            accepted[segment.id], outcomes[segment.id] = restored, SegmentOutcome(status="polished")
            cache.put(segment.masked(), restored.masked())  # only what passed every check is ever cached
        else:
            outcomes[segment.id] = SegmentOutcome(status="fallback", reason=checks.mask(restored))

    price = settings.price_per_million_tokens
    report = PolishReport(
        outcomes={s.id: outcomes[s.id] for s in story.segments()},
        usage=usage,
        estimated_cost=None if price is None else round(usage.total_tokens * price / 1_000_000, 6),
        requests=requests,
        elapsed=round(time.monotonic() - started, 3),
        endpoint=checks.mask(_without_credentials(endpoint)),
        model=settings.model,
        prompt=f"{prompt.name} v{prompt.version}",
    )
    return PolishResult(story=story.with_segments(accepted), report=report)


def _request(
    pending: list[Segment],
    prompt: Prompt,
    settings: LlmSettings,
    endpoint: str,
    env: Mapping[str, str],
    locale: str,
    started: float,
) -> tuple[list[str | _Fallback], Usage, int]:
    """Per pending segment the model's masked rewrite or why there is none; plus usage and requests."""
    if not pending:
        return [], Usage(), 0
    if settings.cache_only:
        return [_Fallback("cache miss (cache-only)")] * len(pending), Usage(), 0
    api_key = env.get(settings.api_key_env, "").strip()
    if not api_key:
        return [_Fallback("no API key")] * len(pending), Usage(), 0

    batches = plan_batches(pending)
    run = send_batches(
        batches,
        prompt=prompt,
        settings=settings,
        endpoint=endpoint,
        api_key=api_key,
        locale=locale,
        started=started,
    )
    results, tally = _run_sync(run)
    by_id: dict[str, str | _Fallback] = {}
    for batch, result in zip(batches, results, strict=True):
        for segment in batch:
            by_id[segment.id] = _from_reply(segment, result)
    return [by_id[s.id] for s in pending], tally.usage, tally.requests


@dataclass(frozen=True)
class _Fallback:
    reason: str


def _from_reply(segment: Segment, result: BatchReply | str) -> str | _Fallback:
    if isinstance(result, str):
        return _Fallback(result)
    if segment.id not in result.texts:
        return _Fallback("validation: missing from reply")
    text = result.texts[segment.id]
    return _Fallback("validation: id repeated in reply") if text is None else text


@dataclass(frozen=True)
class _Checks:
    """What a rewrite is checked against beyond its own segment: the words only the request's system
    text has (a rewrite may not borrow them) and the secrets no text from the endpoint may carry into a
    document."""

    instruction_words: frozenset[str]
    secrets: tuple[str, ...]

    def leaks(self, text: str) -> bool:
        folded = text.casefold()
        return any(secret.casefold() in folded for secret in self.secrets)

    def mask(self, text: str) -> str:
        for secret in self.secrets:
            text = re.sub(re.escape(secret), "[secret]", text, flags=re.IGNORECASE)
        return text


# Environment variables whose values are secrets by their name; their values never reach a document.
_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL", re.IGNORECASE)
_MIN_SECRET = 8  # shorter values are too likely to be ordinary words to mask


def _secrets(settings: LlmSettings, env: Mapping[str, str]) -> tuple[str, ...]:
    found = {env.get(settings.api_key_env, "").strip()}
    found |= {value.strip() for name, value in env.items() if _SECRET_NAME.search(name)}
    return tuple(sorted((s for s in found if len(s) >= _MIN_SECRET), key=len, reverse=True))


def _without_credentials(endpoint: str) -> str:
    """An endpoint URL as the run record may show it: no user name or password before the host."""
    return re.sub(r"(?<=://)[^/@\s]*@", "", endpoint)


def _accept(segment: Segment, rewrite: str | _Fallback | None, checks: _Checks) -> Segment | str:
    """The segment with ``rewrite`` as its words and its own values restored, or why not."""
    if rewrite is None:
        return "cache miss"
    if isinstance(rewrite, _Fallback):
        return rewrite.reason
    if checks.leaks(rewrite):
        return "validation: the reply carries a secret (the API key or a configured secret)"
    original = segment.masked()
    rewrite = rewrite.strip() if original == original.strip() else rewrite
    reason = check_rewrite(original, rewrite, checks.instruction_words)
    if reason:
        return reason
    restored = fix_articles(segment.with_masked_text(rewrite))
    # Belt and braces: the values themselves, not just their tokens, must come back one for one.
    if Counter(v.text for v in restored.values()) != Counter(v.text for v in segment.values()):
        return "validation: values changed"
    return restored


def _run_sync(coroutine):
    # polish_story is synchronous for the pipeline; inside a running loop (a notebook) use a worker thread.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _cache_folder(settings: LlmSettings, config_dir: Path) -> Path:
    root = Path(settings.cache_dir) if settings.cache_dir is not None else Path(".narrator-cache")
    return (root if root.is_absolute() else config_dir / root) / "polish"


def _cache_context(prompt: Prompt, settings: LlmSettings, endpoint: str, story: Story) -> dict[str, object]:
    return {
        "prompt": [prompt.name, prompt.version, prompt.content_hash],
        "endpoint": endpoint,
        "model": settings.model,
        "temperature": settings.temperature,
        "seed": settings.seed,
        "locale": story.locale,  # the prompt asks for British or American English by locale
    }
