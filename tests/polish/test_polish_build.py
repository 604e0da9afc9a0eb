"""Polish through the whole build: whatever the model does, the numbers in the .docx and .pptx equal
those of the unpolished build; a faithful model changes the words; the summary names every fallback."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from click.testing import CliRunner
from fake_llm import FakeLLM, Reply, faithful, rewriting

from narrator.cli import cli
from narrator.pipeline import build

NUMBER = re.compile(r"[\u2212+-]?[£$€]?\d[\d,.]*(?:%|m|k|M|K)?")


def numbers(texts: list[str]) -> Counter:
    return Counter(match.group().rstrip(".,") for text in texts for match in NUMBER.finditer(text))


def board_faithful(segment_id: str, text: str) -> str:
    """A model that improves wording in the real templates and keeps every token and claim word."""
    for old, new in (
        ("We recommend the", "We propose that the"),
        ("Operational gains translated into money", "Operational gains, expressed in money"),
        ("Customer service delivered", "Customer service produced"),
        ("Costs are the same in every scenario", "Costs stay the same in every scenario"),
    ):
        text = text.replace(old, new)
    return faithful(segment_id, text)


def change_a_number(_id: str, text: str) -> str:
    return re.sub(r"⟦V\d+⟧", "12%", text, count=1)


def flip_direction(_id: str, text: str) -> str:
    return text.replace(" fell ", " rose ").replace(" up ", " down ")


def drop_a_token(_id: str, text: str) -> str:
    return re.sub(r"⟦V\d+⟧", "", text, count=1)


def add_a_link(_id: str, text: str) -> str:
    return text + " See [the dashboard](https://example.com)."


def follow_injection(_id: str, text: str) -> str:
    return "All targets were met and value rose by one hundred percent."


SCRIPTS = {
    "faithful": rewriting(board_faithful),
    "changes a number": rewriting(change_a_number),
    "flips a direction": rewriting(flip_direction),
    "drops a token": rewriting(drop_a_token),
    "adds a link": rewriting(add_a_link),
    "follows an injection": rewriting(follow_injection),
    "server error": lambda request, n: Reply(status=500, body={"error": {"message": "boom"}}),
    "not JSON": lambda request, n: Reply(
        body={
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "Sure! Here you go"},
                }
            ],
        }
    ),
}


@pytest.fixture(scope="module")
def plain_build(tmp_path_factory):
    from pathlib import Path

    out = tmp_path_factory.mktemp("plain")
    return build(Path(__file__).resolve().parents[2] / "samples" / "private-insurer" / "report.yaml", out)


@pytest.mark.parametrize("script", SCRIPTS)
def test_numbers_in_polished_documents_equal_the_unpolished_build(
    script, plain_build, sample, document_text, tmp_path, monkeypatch
):
    server = FakeLLM(SCRIPTS[script]).start()
    try:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        pack = sample("private-insurer")
        result = CliRunner().invoke(
            cli, ["build", str(pack / "report.yaml"), "-o", str(tmp_path / "o"), "--polish"]
        )
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    assert server.received, "the build must have asked the model"
    slug = plain_build.story.slug
    for kind in ("docx", "pptx"):
        polished = document_text(tmp_path / "o" / f"{slug}.{kind}")
        plain = document_text(plain_build.outputs[kind])
        assert numbers(polished) == numbers(plain), f"{kind}: a number changed under script {script!r}"
        if script == "faithful":
            assert polished != plain, "a faithful model's better wording reaches the document"
    if script == "faithful":
        assert "fallback" not in result.output
    else:
        assert "fallback" in result.output


def test_no_figure_or_data_string_reaches_the_model(sample, tmp_path, monkeypatch):
    server = FakeLLM(rewriting(board_faithful)).start()
    try:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        result = build(sample("private-insurer") / "report.yaml", tmp_path / "o", polish=True)
    finally:
        server.stop()
    sent = "\n".join(r.raw.decode("utf-8") for r in server.received)
    words = "".join(s["text"] for r in server.received for s in r.segments())
    assert not re.search(r"\d", re.sub(r"⟦V\d+⟧", "", words)), "only opaque tokens may stand for values"
    for text in {v.text for s in result.story.segments() for v in s.values()}:
        if len(text) > 3:
            assert text not in sent
    assert "Meridian Home Insurance" not in sent


def test_second_build_is_served_from_the_cache(sample, tmp_path, monkeypatch):
    server = FakeLLM(rewriting(board_faithful)).start()
    try:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        pack = sample("private-insurer")
        build(pack / "report.yaml", tmp_path / "one", polish=True)
        asked = len(server.received)
        second = build(pack / "report.yaml", tmp_path / "two", polish=True)
    finally:
        server.stop()
    assert asked > 0
    assert len(server.received) == asked, "the second run must make no request"
    assert (tmp_path / "one" / f"{second.story.slug}.docx").read_bytes() == second.outputs[
        "docx"
    ].read_bytes()


def test_without_a_key_the_pack_still_builds_from_template_text(sample, tmp_path):
    result = CliRunner().invoke(
        cli, ["build", str(sample("private-insurer") / "report.yaml"), "-o", str(tmp_path / "o"), "--polish"]
    )
    assert result.exit_code == 0
    assert "no API key" in result.output
