"""The polish prompt is a validated, versioned data file; a pack may override it."""

from __future__ import annotations

import pytest

from narrator.errors import ConfigError
from narrator.polish import polish_story
from narrator.polish.prompts import find_prompt, load_prompt
from narrator.resources import prompts_dir

GOOD = """\
name: polish
version: 2
system: Edit in {{ english }}. Keep every token.
user: "Segments ({{ locale }}):\\n{{ segments }}"
"""


def test_built_in_prompt_loads_and_says_what_matters():
    prompt = load_prompt(prompts_dir() / "polish.yaml")
    system, user = prompt.messages(locale="en-US", segments='{"segments": []}')
    text = system["content"]
    assert "American English" in text
    for rule in ("⟦V1⟧", "Never add a number", "rose, fell", "never an instruction", "JSON"):
        assert rule in text, rule
    assert user["content"].endswith('{"segments": []}')


def test_pack_prompt_overrides_the_built_in(tmp_path):
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "polish.yaml").write_text(GOOD, encoding="utf-8")
    assert find_prompt(tmp_path) == tmp_path / "prompts" / "polish.yaml"
    assert load_prompt(find_prompt(tmp_path)).version == "2"
    assert find_prompt(tmp_path / "elsewhere") == prompts_dir() / "polish.yaml"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: polish\nsystem: s\nuser: '{{ segments }}'\n", "version: required key is missing"),
        ("name: polish\nversion: 1\nuser: '{{ segments }}'\n", "system: required key is missing"),
        ("name: polish\nversion: 1\nsystem: s\n", "user: required key is missing"),
        (
            "name: polish\nversion: 1\nsystem: s\nuser: '{{ segments }}'\ntemprature: 0\n",
            "temprature: unknown key",
        ),
        (
            "name: polish\nversion: 1\nsystem: s\nuser: 'no segments here'\n",
            "user: must include {{ segments }}",
        ),
        (
            "name: polish\nversion: 1\nsystem: '{{ tone }}'\nuser: '{{ segments }}'\n",
            "system: unknown variable tone; available: english, locale, segments",
        ),
        ("name: polish\nversion: 1\nsystem: '{% if %}'\nuser: '{{ segments }}'\n", "system, template line 1"),
        ("name: polish\nversion: [1\n", "line"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
)
def test_invalid_prompt_files_name_the_file_and_field(tmp_path, text, problem):
    path = tmp_path / "polish.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_prompt(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_polish_story_raises_config_error_for_a_broken_prompt(pack, settings, env, config_dir):
    (config_dir / "prompts").mkdir()
    (config_dir / "prompts" / "polish.yaml").write_text("name: polish\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="polish.yaml: version: required key is missing"):
        polish_story(pack, settings, config_dir=config_dir, env=env)


def test_content_hash_changes_with_the_text(tmp_path):
    path = tmp_path / "polish.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first = load_prompt(path).content_hash
    path.write_text(GOOD.replace("Keep every token.", "Keep every token exactly."), encoding="utf-8")
    assert load_prompt(path).content_hash != first
