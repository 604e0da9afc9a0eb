"""Batching by section, and running from inside an event loop."""

from __future__ import annotations

import asyncio

from fake_llm import faithful, rewriting

from narrator.polish import polish_story
from narrator.polish.runner import MAX_BATCH, plan_batches
from narrator.tell.story import Segment


def test_batches_follow_sections_and_stay_small():
    ids = ["title", "subtitle", "resolution", "situation.title", "situation.lead"]
    ids += [f"outcome.bullets.{i}" for i in range(MAX_BATCH + 2)] + ["situation.body.1"]
    batches = plan_batches([Segment.literal(i, "Words.") for i in ids])

    assert [[s.id for s in b] for b in batches] == [
        ["title", "subtitle", "resolution"],
        ["situation.title", "situation.lead", "situation.body.1"],
        [f"outcome.bullets.{i}" for i in range(MAX_BATCH)],
        [f"outcome.bullets.{i}" for i in range(MAX_BATCH, MAX_BATCH + 2)],
    ]


def test_polish_story_works_inside_a_running_event_loop(fake, settings, pack, env, config_dir):
    fake.script = rewriting(faithful)

    async def notebook_cell():
        return polish_story(pack, settings, config_dir=config_dir, env=env)

    assert asyncio.run(notebook_cell()).report.counts() == {"polished": 30}
