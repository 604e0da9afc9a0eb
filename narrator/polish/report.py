"""What the polish step returns: the polished Story and a record of what happened to every segment."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict

from narrator.tell.story import Story

Status = Literal["polished", "cached", "fallback", "skipped"]


class SegmentOutcome(BaseModel):
    """What happened to one segment. ``reason`` says why a segment fell back or was skipped."""

    model_config = ConfigDict(frozen=True)

    status: Status
    reason: str | None = None


class Usage(BaseModel):
    """Tokens the endpoint reported (estimated from text length when it reported none)."""

    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class PolishReport(BaseModel):
    """The run record of one polish step."""

    model_config = ConfigDict(frozen=True)

    outcomes: dict[str, SegmentOutcome]  # by segment id, in reading order
    usage: Usage = Usage()
    estimated_cost: float | None = None  # USD, when settings.price_per_million_tokens is set
    requests: int = 0  # chat-completion calls made (the SDK's own retries are not counted)
    elapsed: float = 0.0  # seconds
    endpoint: str = ""
    model: str = ""
    prompt: str = ""  # "polish v1"

    def counts(self) -> dict[str, int]:
        return dict(Counter(o.status for o in self.outcomes.values()))

    def fallbacks(self) -> dict[str, str]:
        """Reason by segment id, for every segment that kept its template text."""
        return {sid: o.reason or "" for sid, o in self.outcomes.items() if o.status == "fallback"}

    def as_dict(self) -> dict:
        """The report as JSON-ready data, for the run record."""
        return self.model_dump(mode="json")

    def summary(self) -> str:
        """One line for the CLI: what happened, what it cost, and the commonest reason for falling back."""
        counts = self.counts()
        done = ", ".join(
            f"{counts[s]} {s}" for s in ("polished", "cached", "fallback", "skipped") if s in counts
        )
        cost = "" if self.estimated_cost is None else f", about ${self.estimated_cost:.4f}"
        line = (
            f"polish: {done or 'nothing to polish'}; {self.requests} requests, "
            f"{self.usage.total_tokens:,} tokens{cost}, {self.elapsed:.1f} s"
        )
        reasons = Counter(self.fallbacks().values()).most_common()
        if reasons:
            others = f" and {len(reasons) - 1} other reasons" if len(reasons) > 1 else ""
            line += f"; fell back mostly for: {reasons[0][0]}{others}"
        return line


class PolishResult(BaseModel):
    """The polished Story (template text wherever polishing failed) and the run record."""

    model_config = ConfigDict(frozen=True)

    story: Story
    report: PolishReport
