"""Accepted rewrites are cached by masked text, so next month's pack replays them with fresh values."""

from __future__ import annotations

from pathlib import Path

from fake_llm import faithful, rewriting

from narrator.polish import polish_story
from narrator.polish.cache import PolishCache, normalise_tokens
from narrator.resources import prompts_dir


def _plain(story):
    return {s.id: s.plain() for s in story.segments()}


def test_second_run_hits_the_cache_and_makes_no_request(fake, settings, pack, env, config_dir):
    fake.script = rewriting(faithful)
    first = polish_story(pack, settings, config_dir=config_dir, env=env)
    sent = len(fake.received)

    second = polish_story(pack, settings, config_dir=config_dir, env=env)

    assert len(fake.received) == sent
    assert second.report.counts() == {"cached": 30}
    assert second.report.requests == 0
    assert second.report.usage.total_tokens == 0
    assert second.story == first.story
    assert (config_dir / ".narrator-cache" / "polish").is_dir()


def test_next_months_pack_reuses_the_wording_with_its_own_values(
    fake, settings, pack, env, config_dir, next_month
):
    fake.script = rewriting(faithful)
    polish_story(pack, settings, config_dir=config_dir, env=env)
    sent = len(fake.received)
    later = next_month(first_token=101)  # new values, and tokens numbered differently

    result = polish_story(later, settings, config_dir=config_dir, env=env)

    assert len(fake.received) == sent
    assert result.report.counts() == {"cached": 30}
    plain = _plain(result.story)
    assert plain["situation.body.1"] == (
        "Our contact centre handled 418,900 contacts in the year to April 2025, "
        "6.1% more than the year before."
    )
    assert {s.id: [v.text for v in s.values()] for s in result.story.segments()} == {
        s.id: [v.text for v in s.values()] for s in later.segments()
    }


def test_changed_wording_misses_only_that_segment(fake, settings, pack, env, config_dir):
    fake.script = rewriting(faithful)
    polish_story(pack, settings, config_dir=config_dir, env=env)
    lead = pack.sections[0].lead
    reworded = lead.with_masked_text(lead.masked().replace("fewer calls", "fewer of its calls"))

    result = polish_story(pack.with_segments({lead.id: reworded}), settings, config_dir=config_dir, env=env)

    assert result.report.counts() == {"cached": 29, "polished": 1}
    assert [s["id"] for s in fake.received[-1].segments()] == [lead.id]


def test_cache_only_replays_hits_and_never_asks(fake, settings, pack, env, config_dir):
    offline = settings.model_copy(update={"cache_only": True})
    cold = polish_story(pack, offline, config_dir=config_dir, env=env)
    assert set(cold.report.fallbacks().values()) == {"cache miss (cache-only)"}
    assert fake.received == []

    fake.script = rewriting(faithful)
    polish_story(pack, settings, config_dir=config_dir, env=env)
    warm = polish_story(pack, offline, config_dir=config_dir, env={})

    assert warm.report.counts() == {"cached": 30}


def test_cache_hits_need_no_api_key(fake, settings, pack, env, config_dir):
    fake.script = rewriting(faithful)
    polish_story(pack, settings, config_dir=config_dir, env=env)
    assert polish_story(pack, settings, config_dir=config_dir, env={}).report.counts() == {"cached": 30}


def test_changed_prompt_model_or_endpoint_misses(fake, settings, pack, env, config_dir):
    fake.script = rewriting(faithful)
    polish_story(pack, settings, config_dir=config_dir, env=env)

    other_model = settings.model_copy(update={"model": "other-model"})
    assert polish_story(pack, other_model, config_dir=config_dir, env=env).report.counts() == {"polished": 30}

    # An edited prompt misses even without a version bump: the key holds a hash of its content.
    (config_dir / "prompts").mkdir()
    text = (prompts_dir() / "polish.yaml").read_text(encoding="utf-8")
    assert "You are a sub-editor" in text
    edited = text.replace("You are a sub-editor", "You are a careful sub-editor")
    (config_dir / "prompts" / "polish.yaml").write_text(edited, encoding="utf-8")
    assert polish_story(pack, settings, config_dir=config_dir, env=env).report.counts() == {"polished": 30}


def test_cache_dir_setting_is_resolved_against_the_config_folder(fake, settings, pack, env, config_dir):
    settings = settings.model_copy(update={"cache_dir": Path("cache")})
    fake.script = rewriting(faithful)
    polish_story(pack, settings, config_dir=config_dir, env=env)
    assert any((config_dir / "cache" / "polish").rglob("*.json"))


def test_damaged_or_tampered_entries_are_misses(tmp_path):
    cache = PolishCache(tmp_path, context={"model": "m"})
    masked = "Service level fell to ⟦V7⟧ in ⟦V9⟧."
    cache.put(masked, "Service level fell to ⟦V7⟧ during ⟦V9⟧.")
    assert cache.get(masked) == "Service level fell to ⟦V7⟧ during ⟦V9⟧."
    assert cache.get("Service level fell to ⟦V1⟧ in ⟦V2⟧.") == "Service level fell to ⟦V1⟧ during ⟦V2⟧."

    entry = next(tmp_path.rglob("*.json"))
    entry.write_text("{not json", encoding="utf-8")
    assert cache.get(masked) is None
    entry.write_text('{"rewrite": "fell to ⟦V5⟧"}', encoding="utf-8")
    assert cache.get(masked) is None
    assert not list(tmp_path.rglob(".tmp-*"))


def test_tampered_entry_that_fails_validation_is_asked_again(fake, settings, pack, env, config_dir):
    fake.script = rewriting(faithful)
    polish_story(pack, settings, config_dir=config_dir, env=env)
    for entry in (config_dir / ".narrator-cache").rglob("*.json"):
        entry.write_text(entry.read_text(encoding="utf-8").replace(" fell ", " rose "), encoding="utf-8")

    result = polish_story(pack, settings, config_dir=config_dir, env=env)

    counts = result.report.counts()
    assert counts == {"polished": 3, "cached": 27}  # the three "fell" segments were asked again


def test_normalise_tokens():
    assert normalise_tokens("⟦V12⟧ of ⟦V3⟧ and ⟦V12⟧") == ("⟦V1⟧ of ⟦V2⟧ and ⟦V1⟧", {"V12": "V1", "V3": "V2"})


def test_an_unwritable_cache_costs_a_request_not_a_run(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    cache = PolishCache(blocker, context={})
    cache.put("Costs rose by ⟦V1⟧.", "Costs rose by ⟦V1⟧.")
    assert cache.get("Costs rose by ⟦V1⟧.") is None
