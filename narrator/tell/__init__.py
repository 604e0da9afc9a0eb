"""The tell stage: facts + storyline + templates -> a complete, validated Story. No file is written here."""

from __future__ import annotations

import re
import unicodedata

from babel.numbers import get_currency_symbol

from narrator.compute import Computed
from narrator.config import LoadedConfig
from narrator.errors import TemplateError
from narrator.resources import templates_dir
from narrator.tell.context import TemplateContext, build_context
from narrator.tell.environment import PHRASE_PATTERN, shared_environment
from narrator.tell.exhibits import ExhibitBuilder
from narrator.tell.formatting import Formatter
from narrator.tell.segments import SegmentFactory
from narrator.tell.story import DocumentProperties, Furniture, Section, Segment, Story
from narrator.tell.storyline import SectionSpec, lettered, load_storyline, pick_storyline

PAPER_IF_SINGLE = ("caveats", "next_steps")
"""Supporting sections that go to the paper only when they have a single point and no exhibit."""
BLOCK_LINE = re.compile(r"^@@@ ([a-z_]+)\s*$", re.MULTILINE)
SECTION_BLOCKS = ("title", "lead", "bullets", "body", "notes")
PACK_BLOCKS = ("title", "subtitle", "resolution", "footer")


def tell_story(computed: Computed, loaded: LoadedConfig) -> Story:
    config = loaded.config
    formatter = Formatter(config.locale, config.currency)
    user_dirs = [loaded.resolve(p) for p in config.templates]
    env = shared_environment((*user_dirs, templates_dir()), config.locale, config.currency)
    segments = SegmentFactory(formatter)
    context = build_context(computed, config)
    storyline = load_storyline(
        pick_storyline(config.storyline, config.audience, config.sector, user_dirs), loaded.folder, user_dirs
    )
    symbol = get_currency_symbol(config.currency, locale=config.locale.replace("-", "_"))
    exhibits = ExhibitBuilder(computed, context, segments, symbol)

    pack = _render_blocks(env, ["pack.j2"], context.as_dict(), PACK_BLOCKS, segments, "pack")
    included = [spec for spec in storyline.sections if _requirements_met(spec, context)]
    headings = lettered([(spec.kind, spec.heading) for spec in included])
    sections = tuple(
        _tell_section(spec.model_copy(update={"heading": heading}), env, context, segments, exhibits, config)
        for spec, heading in zip(included, headings, strict=True)
    )
    title = _single(pack, "title", "pack.j2") or segments.words("title", "Board report")
    subtitle = _single(pack, "subtitle", "pack.j2") or segments.words("subtitle", "")
    data_as_of = segments.compose("furniture.data_as_of", "Data as of ", (context.data_as_of, None))
    period = computed.frame.current
    purpose = config.purpose
    if purpose == "decision" and computed.ask is None and "purpose" not in config.model_fields_set:
        purpose = "information"  # nothing to decide: a pack without an ask is not put "for decision"
    return Story(
        slug=pack_slug(config, period),
        title=title,
        subtitle=subtitle,
        purpose=purpose,
        resolution=_single(pack, "resolution", "pack.j2") if purpose == "decision" else None,
        sections=sections,
        furniture=Furniture(data_as_of=data_as_of, footer=_single(pack, "footer", "pack.j2") or data_as_of),
        properties=DocumentProperties(
            title=title.plain(),
            subject=subtitle.plain(),
            author=config.author,
            company=config.organisation,
            keywords="board pack; customer service; value",
            created=period.end_date().isoformat(),
        ),
        locale=config.locale,
        currency=config.currency,
    )


def _requirements_met(spec: SectionSpec, context: TemplateContext) -> bool:
    available = available_data(context)
    return all(available[r] for r in spec.requires)


def available_data(context: TemplateContext) -> dict[str, bool]:
    """Which of a storyline's ``requires:`` names the pack's data satisfies."""
    return {
        "ask": context.ask is not None,
        "value": bool(context.value.items),
        "realised": context.value.realised is not None and bool(context.value.realised_headline_items),
        "potential": bool(context.value.potential_items),
        "caveats": bool(context.caveats),
        "kpis": bool(context.headline),
        "history": any(k.prior is not None or k.trend_start is not None and k.vs_trend_start is not None
                       for k in context.headline),
        "previous": context.since_last is not None and context.since_last.anything,
    }


def _tell_section(
    spec: SectionSpec, env, context: TemplateContext, segments: SegmentFactory, exhibits, config
):
    names = [
        f"sections/{spec.template}-{config.audience}-{config.sector}.j2",
        f"sections/{spec.template}-{config.audience}.j2",
        f"sections/{spec.template}-{config.sector}.j2",
        f"sections/{spec.template}.j2",
    ]
    variables = context.as_dict() | {"section": {"id": spec.id, "heading": spec.heading}}
    blocks = _render_blocks(env, names, variables, SECTION_BLOCKS, segments, spec.id)
    template_name = blocks.pop("_template")
    phrases = blocks.pop("_phrases")
    title = _single(blocks, "title", template_name)
    if title is None:
        raise TemplateError(f"{template_name}: the title block is empty; every section needs an action title")
    chart = exhibits.chart(spec.id, spec.chart) if spec.chart else None
    table = exhibits.table(spec.id, spec.table) if spec.table else None
    sources = tuple(s for s in (chart.source if chart else None, table.source if table else None) if s)
    return Section(
        id=spec.id,
        kind=spec.kind,
        heading=spec.heading,
        title=title,
        lead=_single(blocks, "lead", template_name),
        bullets=blocks["bullets"],
        body=blocks["body"],
        notes=blocks["notes"],
        chart=chart,
        table=table,
        sources=sources,
        # A single point with no chart or table is not a slide: for supporting sections the paper states it
        # and the deck leaves it out (news such as "since the last report" keeps its slide).
        in_deck=spec.in_deck and not ((spec.kind == "appendix" or spec.template in PAPER_IF_SINGLE)
                                      and len(blocks["bullets"]) == 1 and not chart and not table),
        in_paper=spec.in_paper,
        template=_short_name(template_name),
        phrases=phrases,
    )


def _short_name(path: str) -> str:
    """ "sections/summary.j2" for a built-in template, the full path for a user's own."""
    from pathlib import Path

    built_in = templates_dir()
    try:
        return str(Path(path).resolve().relative_to(built_in.resolve()))
    except (ValueError, OSError):
        return path


def _render_blocks(env, names, variables, allowed, segments: SegmentFactory, prefix: str) -> dict:
    """Render a template whose output is divided by ``@@@ block`` lines into segments per block."""
    template = env.select(names)
    where = template.filename or template.name
    text, values = env.render(template, variables)
    pieces = BLOCK_LINE.split(text)
    blocks: dict = {name: () for name in allowed}
    blocks["_template"] = where
    blocks["_phrases"] = {}
    for name, body in zip(pieces[1::2], pieces[2::2], strict=True):
        if name not in allowed:
            raise TemplateError(f"{where}: unknown block {name!r}; blocks are {', '.join(allowed)}")
        if name == "bullets":
            chunks = _bullets(body)
        else:
            chunks = [c for c in re.split(r"\n\s*\n", body) if c.strip()]
        single = name in ("title", "lead", "subtitle", "resolution", "footer")
        base = name if prefix == "pack" else f"{prefix}.{name}"
        made = []
        for i, chunk in enumerate(chunks):
            segment_id = base if single else f"{base}.{i}"
            chosen = tuple(PHRASE_PATTERN.findall(chunk))
            if chosen:
                blocks["_phrases"][segment_id] = chosen
            made.append(segments.from_rendered(segment_id, PHRASE_PATTERN.sub("", chunk), values,
                                               f"{where}, block {name}"))
        blocks[name] = tuple(made)
    return blocks


def _bullets(body: str) -> list[str]:
    items: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ")):
            items.append(stripped[2:])
        elif stripped and items:
            items[-1] += " " + stripped
        elif stripped:
            items.append(stripped)
    return items


def _single(blocks: dict, name: str, where: str) -> Segment | None:
    found = [s for s in blocks.get(name, ()) if s]
    if not found:
        return None
    if len(found) > 1:
        # A title or lead is one sentence-sized piece; paragraphs belong in body.
        return Segment(id=found[0].id, parts=tuple(p for seg in found for p in (*seg.parts, " "))[:-1])
    return found[0]


def pack_slug(config, period) -> str:
    """The file name stem of a pack's outputs: the config's slug, or organisation and period."""
    # A configured slug is slugified like an organisation's name: it names files, so "../x", "a/b" or an
    # absolute path must never carry a pack outside its output folder.
    # The name is cut before the period is added, so even a very long name keeps its period in the slug.
    return slugify(config.slug) if config.slug else slugify(f"{config.organisation[:100]}-{period.key()}")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    # At most 120 characters: a file name longer than the filesystem allows (255 bytes) fails the write.
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120].strip("-") or "board-pack"
