"""Endpoint and parameter resolution, and reading the model's reply."""

from __future__ import annotations

import pytest

from narrator.config import LlmSettings
from narrator.polish.client import OPENAI_URL, BatchFailed, parse_reply, request_options, resolve_endpoint


def test_endpoint_resolution_order():
    assert resolve_endpoint(LlmSettings(base_url="http://llm.local/v1/"), {"OPENAI_BASE_URL": "x"}) == (
        "http://llm.local/v1"
    )
    assert (
        resolve_endpoint(LlmSettings(), {"OPENAI_BASE_URL": "http://env.local/v1"}) == "http://env.local/v1"
    )
    assert resolve_endpoint(LlmSettings(), {}) == OPENAI_URL


def test_store_false_only_for_openai_itself():
    settings = LlmSettings(model="gpt-4o-mini")
    assert request_options(settings, OPENAI_URL) == {"model": "gpt-4o-mini", "store": False}
    assert request_options(settings, "http://localhost:11434/v1") == {"model": "gpt-4o-mini"}


def test_sampling_parameters_only_when_set():
    settings = LlmSettings(model="m", temperature=0.0, seed=42)
    assert request_options(settings, "http://x/v1") == {"model": "m", "temperature": 0.0, "seed": 42}


@pytest.mark.parametrize(
    "content",
    [
        '{"segments": [{"id": "a", "text": "Hello."}]}',
        '```json\n{"segments": [{"id": "a", "text": "Hello."}]}\n```',
        '```\n{"segments": [{"id": "a", "text": "Hello."}]}\n```',
        'Here you are: {"segments": [{"id": "a", "text": "Hello."}]} Hope that helps.',
    ],
)
def test_parse_reply_tolerates_fences_and_chatter(content):
    assert parse_reply(content) == {"a": "Hello."}


def test_parse_reply_marks_repeated_ids_and_skips_malformed_items():
    items = '{"id": "a", "text": "x"}, {"id": "a", "text": "y"}, {"id": "b"}, "c", {"id": 3, "text": "z"}'
    content = f'{{"segments": [{items}]}}'
    assert parse_reply(content) == {"a": None}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Sorry, I cannot do that.", "invalid JSON"),
        ("{broken", "invalid JSON"),
        ('{"items": []}', "invalid JSON: no segments list"),
        ("[1, 2]", "invalid JSON: no segments list"),
    ],
)
def test_parse_reply_failures(content, reason):
    with pytest.raises(BatchFailed) as caught:
        parse_reply(content)
    assert caught.value.reason == reason
