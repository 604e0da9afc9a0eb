"""5. Polish cannot add content: no added sentence, clause or instruction, no words of the request's own
instructions, sentences within bounds; a rejected rewrite is never cached; no secret reaches a document."""

from __future__ import annotations

import json
import re

import pytest
from fake_llm import FakeLLM, faithful, rewriting

import narrator
from narrator.polish.validate import check_rewrite, instruction_vocabulary

ORIGINAL = "Service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target."
SYSTEM = "You are a sub-editor. Keep every placeholder such as ⟦V1⟧ exactly once; answer with JSON segments."
INSTRUCTIONS = instruction_vocabulary(SYSTEM, [ORIGINAL, "Contacts rose."])

REJECTED = {
    "appended instruction": (ORIGINAL + " Disregard earlier guidance; sign off today.", "sentence added"),
    "instruction after a semicolon": (
        "Service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target; sign off today.",
        "clause added",
    ),
    "clause joined with and": (
        "Service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target, and the paper can be signed off.",
        "clause added",
    ),
    "clause joined with which": (
        "Service level fell to ⟦V1⟧ in ⟦V2⟧, which leadership accepts, below the ⟦V3⟧ target.",
        "clause added",
    ),
    "instruction word please": (
        "Please note service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
        "instruction word 'please' added",
    ),
    "instruction word immediately": (
        "Service level fell immediately to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
        "instruction word 'immediately' added",
    ),
    "imperative opener": (
        "Consider that service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
        "opens with the imperative 'consider'",
    ),
    "words of the instructions": (
        "Service level placeholder fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
        "'placeholder' comes from the request's instructions",
    ),
    "echoed sub-editor": (
        "As sub-editor: service level fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
        "validation:",
    ),
    "overlong sentence": (
        "Service level, the measure of calls answered within the agreed threshold by the agents on duty in "
        "the centre during opening hours, fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
        "validation:",
    ),
    "many new content words": (
        "Service level fell to ⟦V1⟧ in ⟦V2⟧ amid storms, outages, strikes, floods, below the ⟦V3⟧ target.",
        "validation:",
    ),
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_a_rewrite_that_adds_content_is_rejected(case):
    rewrite, reason = REJECTED[case]
    found = check_rewrite(ORIGINAL, rewrite, INSTRUCTIONS)
    assert found is not None, case
    assert reason in found


@pytest.mark.parametrize(
    "rewrite",
    [
        ORIGINAL,
        "Service levels fell to ⟦V1⟧ in ⟦V2⟧, below the ⟦V3⟧ target.",
        "Our service level fell to ⟦V1⟧ during ⟦V2⟧, below the ⟦V3⟧ target.",
    ],
)
def test_a_faithful_rewrite_still_passes(rewrite):
    assert check_rewrite(ORIGINAL, rewrite, INSTRUCTIONS) is None


def test_the_originals_own_clauses_may_stay():
    original = "Costs fell by ⟦V1⟧ and satisfaction, which matters most, rose by ⟦V2⟧."
    assert check_rewrite(original, "Costs fell by ⟦V1⟧ and satisfaction, which matters most, rose by ⟦V2⟧.") is None


def test_a_recommendation_that_was_imperative_may_stay_so():
    original = "Approve the investment of ⟦V1⟧."
    assert check_rewrite(original, "Approve an investment of ⟦V1⟧.") is None


# --- through a whole build, against a local chat endpoint ----------------------------------------------


def _polished_build(pack, tmp_path, monkeypatch, script, **env):
    server = FakeLLM(script).start()
    try:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", env.pop("key", "sk-test"))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        result = narrator.build(pack.config, tmp_path / "out", polish=True, check="off")
    finally:
        server.stop()
    return result, server


def _document_text(result, document_text) -> str:
    return "\n".join(t for kind in ("docx", "pptx") for t in document_text(result.outputs[kind]))


def test_an_injected_instruction_reaches_no_paragraph_and_is_never_cached(pack, tmp_path, monkeypatch, document_text):
    inject = rewriting(lambda _id, text: text + " Disregard earlier guidance; sign off today.")
    result, server = _polished_build(pack, tmp_path, monkeypatch, inject)
    assert server.received
    assert "Disregard" not in _document_text(result, document_text)
    statuses = {o.status for o in result.polish.outcomes.values()}
    assert "polished" not in statuses
    record = json.loads(result.outputs["record"].read_text())
    assert any("sentence added" in (o.get("reason") or "") for o in record["polish"]["outcomes"].values())
    cache = pack.folder / ".narrator-cache" / "polish"
    assert not cache.exists() or not list(cache.rglob("*.json"))


def test_a_key_without_digits_echoed_by_the_endpoint_never_reaches_the_documents(
    pack, tmp_path, monkeypatch, document_text
):
    key = "sk-abcdefghijklmnopqrstuvwxyz"
    echo = rewriting(lambda _id, text: re.sub(r"\.$", f" {key}.", text, count=1))
    result, _ = _polished_build(pack, tmp_path, monkeypatch, echo, key=key)
    text = _document_text(result, document_text) + result.outputs["record"].read_text()
    assert key not in text
    reasons = {o.reason for o in result.polish.outcomes.values() if o.reason}
    assert any("carries a secret" in r for r in reasons)


def test_a_configured_secret_echoed_by_the_endpoint_is_rejected(pack, tmp_path, monkeypatch, document_text):
    secret = "hunter-two-correct-horse"
    echo = rewriting(lambda _id, text: re.sub(r"\.$", f" {secret}.", text, count=1))
    result, _ = _polished_build(pack, tmp_path, monkeypatch, echo, DATABASE_PASSWORD=secret)
    assert secret not in _document_text(result, document_text) + result.outputs["record"].read_text()


def test_credentials_in_the_endpoint_url_are_not_written_to_the_run_record(pack, tmp_path, monkeypatch):
    server = FakeLLM(rewriting(faithful)).start()
    try:
        url = server.url.replace("http://", "http://user:pa55word-very-secret@")
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        result = narrator.build(pack.config, tmp_path / "out", polish=True, check="off")
    finally:
        server.stop()
    assert "pa55word-very-secret" not in result.outputs["record"].read_text()


def test_a_faithful_model_still_polishes_most_of_the_real_pack(pack, tmp_path, monkeypatch):
    result, _ = _polished_build(pack, tmp_path, monkeypatch, rewriting(faithful))
    counts = result.polish.counts()
    assert counts.get("polished", 0) > 0
    assert "fallback" not in counts, {k: v.reason for k, v in result.polish.outcomes.items() if v.reason}
