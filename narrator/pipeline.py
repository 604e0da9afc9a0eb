"""The orchestrator: load, compute, tell, polish, render, write. Reads top to bottom as the stage list."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from narrator.catalogue import Catalogue
from narrator.compute import Computed, compute_facts, resolve_period
from narrator.config import LoadedConfig, load_config
from narrator.dataset import Dataset
from narrator.diff import find_previous_record
from narrator.errors import InputError, QualityError
from narrator.files import check_output_folder, commit_pack, confined, recover_folder
from narrator.load.cache import load_dataset_once
from narrator.record import build_run_record, record_bytes
from narrator.tell import pack_slug, slugify, tell_story
from narrator.tell.story import Story

if TYPE_CHECKING:
    from narrator.deck_process import DeckProcess


@dataclass
class BuildResult:
    """What a build made and where it put it."""

    story: Story
    computed: Computed
    outputs: dict[str, Path]  # kind (docx, pptx, md, record) -> path
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    polish: object | None = None  # the polish report, when polish ran
    seconds: float = 0.0


@dataclass
class Prepared:
    """A pack gathered and told, not yet rendered: what `validate` checks and `build` renders."""

    loaded: LoadedConfig
    dataset: Dataset
    computed: Computed
    story: Story


def prepare(
    config_path: str | Path,
    *,
    segment: str | None = None,
    period: str | None = None,
    previous: Path | None = None,
    history: Path | None = None,
) -> Prepared:
    """Load, compute and tell: everything short of rendering. Raises a UserError on bad input.

    ``segment`` builds the pack of one segment of the data (a site, channel or client) on its own;
    ``period`` overrides the config's reporting period (a batch pins every pack to the same one).
    ``previous`` is the last report's run record; without it, ``history`` (the output folder) is searched
    for the latest earlier record of the same pack, so the pack can say what changed since."""
    loaded = load_config(config_path)
    catalogue = Catalogue.build(loaded.config.kpis, str(loaded.path))
    dataset = load_dataset_once(loaded, catalogue)
    if segment is not None or period is not None:
        loaded, dataset = _narrowed(loaded, dataset, segment, period)
    current = resolve_period(loaded.config.period, dataset, str(loaded.path))
    last = find_previous_record(previous, history, pack_slug(loaded.config, current), current.key())
    computed = compute_facts(dataset, loaded.config, str(loaded.path), last)
    story = tell_story(computed, loaded)
    return Prepared(loaded, dataset, computed, story)


def _narrowed(loaded: LoadedConfig, dataset: Dataset, segment: str | None, period: str | None):
    config = loaded.config
    updates: dict = {}
    if period is not None:
        updates["period"] = period
    if segment is not None:
        by_segment = dataset.observations_by_segment()
        if segment not in by_segment:
            known = ", ".join(sorted(by_segment)) or "none"
            raise InputError(f"{loaded.path}: segment {segment!r} is not in the KPI data; its segments are: {known}")
        # for_segment on the segment's own observations: the same result without scanning every site's.
        dataset = dataset.model_copy(update={"observations": by_segment[segment]}).for_segment(segment)
        base = config.title or f"{config.organisation} customer service"
        updates["title"] = f"{base}: {segment}"
        if config.slug:
            updates["slug"] = f"{config.slug}-{slugify(segment)}"
        else:
            current = resolve_period(period or config.period, dataset, str(loaded.path))
            updates["slug"] = slugify(f"{config.organisation[:50]}-{segment[:50]}-{current.key()}")
    return loaded.model_copy(update={"config": config.model_copy(update=updates)}), dataset


def build(
    config_path: str | Path,
    out_dir: str | Path = "out",
    *,
    polish: bool | None = None,
    env: Mapping[str, str] | None = None,
    segment: str | None = None,
    period: str | None = None,
    check: Literal["full", "fast", "off"] = "full",
    previous: Path | None = None,
    deck_process: DeckProcess | None = None,
) -> BuildResult:
    """Build a board pack. Nothing is written unless every stage succeeds and the documents pass the
    quality gate (``check``: "full", "fast" without the slow schema validation, or "off"); files land
    atomically. ``deck_process`` (see narrator.deck_process) renders and checks the deck in a second
    process meanwhile; the caller starts it and closes it."""
    started = time.perf_counter()
    out = Path(out_dir)
    check_output_folder(out)
    recover_folder(out)  # finish or undo what a killed run left, before its records are read

    prepared = prepare(config_path, segment=segment, period=period, previous=previous, history=out)
    config = prepared.loaded.config
    story = prepared.story

    polish_report = None
    if polish if polish is not None else config.llm.enabled:
        from narrator.polish import polish_story

        polished = polish_story(
            story, config.llm, config_dir=prepared.loaded.folder, env=os.environ if env is None else env
        )
        story, polish_report = polished.story, polished.report

    if check != "off":
        gate_story(story, prepared.computed)
        gate_figures(story, prepared.computed)
    documents = render_and_check(story, prepared.loaded, check, deck_process)
    files = {confined(out, f"{story.slug}.{kind}"): data for kind, data in documents.items()}
    record = build_run_record(prepared, story, files, polish_report)
    files[confined(out, f"{story.slug}.run.json")] = record_bytes(record)

    changed = commit_pack(out, {path.name: data for path, data in files.items()})
    outputs = {path.suffix.lstrip(".") if not path.name.endswith(".run.json") else "record": path for path in files}
    return BuildResult(
        story=story,
        computed=prepared.computed,
        outputs=outputs,
        written=changed,
        unchanged=sorted(set(files) - set(changed)),
        polish=polish_report,
        seconds=time.perf_counter() - started,
    )


def render_and_check(
    story: Story, loaded: LoadedConfig, check: str, deck_process: DeckProcess | None = None
) -> dict[str, bytes]:
    """The documents rendered and through the quality gate (raises QualityError listing every problem);
    the deck in ``deck_process`` when one is given, alongside the paper here."""
    config = loaded.config
    elsewhere = False
    if deck_process is not None and "pptx" in config.outputs:
        from narrator.deck_process import DeckJob

        elsewhere = deck_process.submit(DeckJob(
            story=story, reference=reference_path(loaded, "pptx"), layouts=dict(config.reference.layouts), check=check
        ))
    documents = render_documents(story, loaded, skip=("pptx",) if elsewhere else ())
    baselines = reference_baselines(loaded, skip=("pptx",) if elsewhere else ()) if check != "off" else {}
    problems = gate_problems(documents, story.slug, check, story, baselines)
    if "pptx" in config.outputs and "pptx" not in documents:
        deck = deck_process.result()
        if deck is None:  # the second process died: render the deck here after all
            deck_only = render_documents(story, loaded, only=("pptx",))
            baselines = reference_baselines(loaded, skip=("docx",)) if check != "off" else {}
            problems += gate_problems(deck_only, story.slug, check, story, baselines)
            documents["pptx"] = deck_only["pptx"]
        else:
            documents["pptx"] = deck.data
            problems += deck.problems
    documents = {kind: documents[kind] for kind in ("docx", "pptx", "md") if kind in documents}
    if problems:
        raise QualityError(problems + [GATE_REFUSED])
    return documents


def render_documents(
    story: Story, loaded: LoadedConfig, *, skip: tuple[str, ...] = (), only: tuple[str, ...] | None = None
) -> dict[str, bytes]:
    """Render the configured outputs in memory (all but ``skip``; or just ``only``)."""
    config = loaded.config
    wanted = [kind for kind in config.outputs if kind not in skip and (only is None or kind in only)]
    documents: dict[str, bytes] = {}
    if "docx" in wanted or "pptx" in wanted:
        from narrator.render import render_docx, render_pptx

        if "docx" in wanted:
            documents["docx"] = render_docx(story, reference_path(loaded, "docx"))
        if "pptx" in wanted:
            documents["pptx"] = render_pptx(story, reference_path(loaded, "pptx"), dict(config.reference.layouts))
    if "md" in wanted:
        from narrator.render.markdown import render_markdown

        documents["md"] = render_markdown(story).encode("utf-8")
    return documents


def reference_path(loaded: LoadedConfig, kind: str) -> Path | None:
    """The organisation's reference template for "docx" or "pptx", None for narrator's default."""
    name = getattr(loaded.config.reference, kind)
    return loaded.resolve(name) if name else None


def reference_baselines(loaded: LoadedConfig, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The organisation's own reference templates, by kind, as the gate's baselines: what the validator
    finds in a template itself is the template's (``narrator templates inspect`` lists it with the fix),
    not something narrator introduced."""
    from narrator.render import reference_bytes

    found = {}
    for kind in ("docx", "pptx"):
        path = reference_path(loaded, kind)
        if path and kind in loaded.config.outputs and kind not in skip:
            found[kind] = reference_bytes(path, kind)
    return found


def gate(
    documents: dict[str, bytes],
    slug: str,
    *,
    schema: bool = True,
    story: Story | None = None,
    baselines: dict[str, bytes] | None = None,
) -> None:
    """Refuse to write documents a board should not see; raises QualityError listing every problem.

    Given the ``story`` they were rendered from, a document that lost any of its segments fails too;
    ``baselines`` (kind -> the reference template) keeps a template's own validator findings out."""
    problems = gate_problems(documents, slug, "full" if schema else "fast", story, baselines)
    if problems:
        raise QualityError(problems + [GATE_REFUSED])


GATE_REFUSED = (
    "the documents failed the quality gate; nothing was written (narrator build --no-check writes them "
    "anyway, for inspection)"
)


def gate_problems(
    documents: dict[str, bytes],
    slug: str,
    check: str,
    story: Story | None = None,
    baselines: dict[str, bytes] | None = None,
) -> list[str]:
    """The gate's errors for each document, one line each, in document order (none when ``check`` is "off")."""
    if check == "off":
        return []
    from narrator.check import check_bytes, errors_only

    return [
        str(problem)
        for kind, data in documents.items()
        for problem in errors_only(
            check_bytes(f"{slug}.{kind}", data, (baselines or {}).get(kind), schema=check == "full", story=story)
        )
    ]


def gate_story(story: Story, computed: Computed) -> None:
    """Refuse a Story whose sentences say what its facts do not (the claim check), before rendering."""
    from narrator.tell.claims import check_claims

    problems = [str(problem) for problem in check_claims(story, computed)]
    if problems:
        raise QualityError(
            problems + ["the narrative failed the claim check; nothing was written (reword the template named "
                        "above; narrator build --no-check writes the documents anyway, for inspection)"]
        )


def gate_figures(story: Story, computed: Computed) -> None:
    """Refuse a pack that states one concept with two figures, or a total that is not its parts' sum."""
    from narrator.check.figures import check_figures

    problems = [str(problem) for problem in check_figures(story, computed.book, story.slug)]
    if problems:
        raise QualityError(
            problems + ["the pack's figures disagree with each other; nothing was written (narrator build "
                        "--no-check writes it anyway, for inspection)"]
        )


def validate(config_path: str | Path) -> Prepared:
    """Check a pack's config, inputs and templates without writing anything.

    The claim check reads the Story. When the config names the organisation's own reference templates,
    the documents are rendered in memory (not checked by the gate, not written), so every problem those
    templates would cause a build is found here, with the same message. On the built-in templates nothing
    is rendered: they are tested with narrator, and validate stays free of python-pptx and python-docx (a
    fraction of a second)."""
    prepared = prepare(config_path)
    gate_story(prepared.story, prepared.computed)
    reference = prepared.loaded.config.reference
    if reference.pptx or reference.docx:
        render_documents(prepared.story, prepared.loaded)
    return prepared
