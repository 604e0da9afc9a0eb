"""Benchmark: packs at scale, how deck time grows with size, and narrator against plain python-pptx/docx.

    python bench/bench_batch.py [--segments 1000] [--workers N] [--repeat 5] [--skip-batch]

1. Generates a national centre's data (N sites, 13 months, seven KPIs with targets) into a temporary
   folder as one tidy CSV with a site column and a report.yaml, then builds one pack per site with
   ``narrator.batch`` (``check="fast"``, one worker per core) and reports the total time, packs per second
   and peak memory (max RSS of this process and of the largest worker), then runs the batch again on the
   unchanged inputs and counts the files it rewrote (there must be none).
2. One site's pack in process: prepare, deck, paper, the fast quality gate and the whole build.
3. Scaling: a deck whose appendix table runs to 20, 50, 100 and 200 slides, in ms per slide; growth is
   linear when the figure stays flat.
4. Baseline: the same documents (slides, charts, tables, notes, paper sections) built with plain
   python-pptx and python-docx calls and no fitting, measuring or gate, timed the same way, so the report
   shows narrator's overhead over the libraries' floor.

In-process figures are medians over ``--repeat`` runs after a warm-up. Timings are wall-clock and
include whatever else the machine is doing; the core count is printed with them.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from narrator.batch import plan_jobs, run_batch  # noqa: E402
from narrator.pipeline import build, gate, prepare  # noqa: E402
from narrator.render import render_docx, render_pptx  # noqa: E402
from narrator.tell.story import Section, Segment, Story, TableSpec  # noqa: E402

MONTHS = [f"{m} {y}" for y, months in ((2024, ["Dec"]), (2025, [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
])) for m in months]  # fmt: skip
REGIONS = ["North", "South", "East", "West", "Central", "Coast", "Valley", "Highland"]


# -- data ---------------------------------------------------------------------------------------------


def make_pack_folder(folder: Path, segments: int, seed: int = 7) -> Path:
    """A report.yaml and kpis.csv for a national centre of ``segments`` sites; returns the config path."""
    rng = random.Random(seed)
    lines = ["Month,Site,KPI,Value,Target,Benchmark"]
    for s in range(segments):
        site = f"{REGIONS[s % len(REGIONS)]} {s + 1:04d}"
        offered = rng.randint(4_000, 40_000)
        level, fcr, csat = rng.uniform(0.65, 0.9), rng.uniform(0.6, 0.8), rng.uniform(0.72, 0.9)
        aht = rng.randint(300, 520)
        for month in MONTHS:
            offered = max(1_000, int(offered * rng.uniform(0.95, 1.05)))
            handled = int(offered * rng.uniform(0.9, 0.98))
            level = min(0.97, max(0.5, level + rng.uniform(-0.03, 0.035)))
            fcr = min(0.95, max(0.4, fcr + rng.uniform(-0.02, 0.025)))
            csat = min(0.97, max(0.5, csat + rng.uniform(-0.02, 0.02)))
            aht = max(180, aht + rng.randint(-15, 12))
            abandon = max(0.005, (1 - level) * rng.uniform(0.2, 0.35))
            lines += [
                f'{month},{site},Contacts offered,"{offered:,}",,',
                f'{month},{site},Contacts handled,"{handled:,}",,',
                f"{month},{site},Service level,{level:.2%},80%,80%",
                f"{month},{site},Abandonment rate,{abandon:.2%},5%,6%",
                f"{month},{site},AHT,0:{aht // 60:02d}:{aht % 60:02d},,",
                f"{month},{site},FCR,{fcr:.1%},75%,70%",
                f"{month},{site},CSAT,{csat:.1%},85%,85%",
            ]
    (folder / "kpis.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = folder / "report.yaml"
    config.write_text(
        "organisation: Northfield National Contact Centre\n"
        "sector: private\naudience: board\npurpose: information\n"
        "author: Head of Network Operations\nperiod: latest\ncurrency: GBP\nlocale: en-GB\n"
        "inputs:\n  kpis:\n    path: kpis.csv\n    layout: tidy\n    columns:\n"
        "      period: Month\n      segment: Site\n      kpi: KPI\n      value: Value\n"
        "      target: Target\n      benchmark: Benchmark\n"
        "headline_kpis: [service_level, first_contact_resolution, csat]\n"
        "outputs: [docx, pptx]\n",
        encoding="utf-8",
    )
    return config


# -- helpers ------------------------------------------------------------------------------------------


def median_ms(fn, repeat: int) -> float:
    return timed_ms(fn, repeat)[0]


def timed_ms(fn, repeat: int) -> tuple[float, float]:
    """(median, fastest) wall-clock ms of ``repeat`` runs after a warm-up (imports, font metrics, template
    and dataset caches). Both are reported: on a shared virtual machine the same work varies by half from
    run to run, and the fastest run shows the cost of the code itself."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000, min(runs) * 1000


def table(rows: list[tuple], header: tuple) -> str:
    cells = [tuple(str(c) for c in header)] + [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    out = []
    for n, r in enumerate(cells):
        out.append(
            "  "
            + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        )
        if n == 0:
            out.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(out)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.iterdir() if p.is_file()}


def max_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest (waited-for) child, in MB (Linux: KB)."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own * 1024 / scale / 1024, children * 1024 / scale / 1024


# -- 1. batch -----------------------------------------------------------------------------------------


def bench_batch(config: Path, out: Path, workers: int) -> dict[str, float]:
    started = time.perf_counter()
    jobs = plan_jobs(config)
    result = run_batch(jobs, out, workers=workers, check="fast")
    first = time.perf_counter() - started
    failed = result.failed
    if failed:
        raise SystemExit(f"{len(failed)} packs failed, e.g. {failed[0].name}: {failed[0].problems[:2]}")
    files = snapshot(out)
    started = time.perf_counter()
    again = run_batch(plan_jobs(config), out, workers=workers, check="fast")
    second = time.perf_counter() - started
    after = snapshot(out)
    rewritten = sum(1 for name, stamp in after.items() if files.get(name) != stamp)
    own, child = max_rss_mb()
    return {
        "packs": len(jobs),
        "files": len(files),
        "first": first,
        "second": second,
        "rewritten": rewritten,
        "reported_written": sum(o.status == "written" for o in again.outcomes),
        "rss_self": own,
        "rss_child": child,
    }


# -- 2. one pack --------------------------------------------------------------------------------------


def bench_one(config: Path, segment: str, repeat: int) -> dict[str, float]:
    prepared = prepare(config, segment=segment)
    story = prepared.story
    documents = {"docx": render_docx(story), "pptx": render_pptx(story)}
    with tempfile.TemporaryDirectory() as out:
        return {
            "prepare": timed_ms(lambda: prepare(config, segment=segment), repeat),
            "render deck": timed_ms(lambda: render_pptx(story), repeat),
            "render paper": timed_ms(lambda: render_docx(story), repeat),
            "render deck + paper": timed_ms(lambda: (render_pptx(story), render_docx(story)), repeat),
            "gate (fast)": timed_ms(lambda: gate(documents, story.slug, schema=False), repeat),
            "build, fast gate": timed_ms(lambda: build(config, out, segment=segment, check="fast"), repeat),
        }


# -- 3. scaling ---------------------------------------------------------------------------------------


def with_appendix(story: Story, rows: int) -> Story:
    """The story plus an appendix table of ``rows`` sites (six columns), for the size-scaling runs."""
    rng = random.Random(rows)

    def seg(i: str, text: str) -> Segment:
        return Segment.literal(i, text)

    header = tuple(seg(f"h{c}", t) for c, t in enumerate(
        ["Site", "Service level", "Abandonment", "FCR", "CSAT", "Contacts offered"]
    ))  # fmt: skip
    body = tuple(
        (
            seg(f"r{r}.0", f"{REGIONS[r % len(REGIONS)]} {r + 1:04d}"),
            seg(f"r{r}.1", f"{rng.uniform(60, 95):.1f}%"),
            seg(f"r{r}.2", f"{rng.uniform(1, 9):.1f}%"),
            seg(f"r{r}.3", f"{rng.uniform(55, 85):.1f}%"),
            seg(f"r{r}.4", f"{rng.uniform(70, 92):.1f}%"),
            seg(f"r{r}.5", f"{rng.randint(4_000, 40_000):,}"),
        )
        for r in range(rows)
    )
    spec = TableSpec(
        header=header,
        rows=body,
        align=("left", "right", "right", "right", "right", "right"),
        caption=seg("cap", "Every site, December 2025"),
        source=seg("src", "Source: site KPI export"),
    )
    section = Section(
        id="appendix_sites",
        kind="appendix",
        heading="Appendix: every site",
        title=seg("t", "Appendix: every site's service level, abandonment, FCR, CSAT and contacts"),
        notes=(seg("n", "For reference."),),
        table=spec,
        in_paper=False,
    )
    return story.model_copy(update={"sections": (*story.sections, section)})


def bench_scaling(story: Story, repeat: int, sizes=(20, 50, 100, 200)) -> list[tuple]:
    from pptx import Presentation

    def slides(blob: bytes) -> int:
        return len(Presentation(io.BytesIO(blob)).slides)

    base = slides(render_pptx(story))
    probe = 300
    per_slide = probe / max(1, slides(render_pptx(with_appendix(story, probe))) - base)
    rows_out = []
    for size in sizes:
        big = with_appendix(story, round(size * per_slide))
        count = slides(render_pptx(big))
        ms = median_ms(lambda big=big: render_pptx(big), max(1, repeat // 2))
        rows_out.append((size, count, f"{ms:,.0f}", f"{ms / count:.1f}"))
    return rows_out


# -- 4. baseline --------------------------------------------------------------------------------------


def deck_plan(blob: bytes) -> list[int]:
    """Body rows of each table slide in narrator's deck, in order: the baseline splits tables the same way."""
    from pptx import Presentation

    return [
        len(shape.table.rows) - 1
        for slide in Presentation(io.BytesIO(blob)).slides
        for shape in slide.shapes
        if shape.has_table
    ]


def baseline_deck(story: Story, reference: Path, plan: list[int]) -> bytes:
    """The deck's slides, charts, tables and notes with plain python-pptx calls: no fitting or checks."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches, Pt

    kinds = {"line": XL_CHART_TYPE.LINE_MARKERS, "bar": XL_CHART_TYPE.BAR_CLUSTERED}
    prs = Presentation(str(reference))
    layout = next((la for la in prs.slide_layouts if la.name == "Title and Content"), prs.slide_layouts[1])
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    cover.shapes.title.text = story.title.plain()
    plan = list(plan)
    for section in story.sections:
        if not section.in_deck or section.kind == "cover":
            continue
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = section.title.plain()
        body = slide.placeholders[1]
        body.text = "\n".join(b.plain() for b in section.bullets)
        slide.notes_slide.notes_text_frame.text = "\n".join(n.plain() for n in section.notes)
        if section.chart:
            data = CategoryChartData()
            data.categories = list(section.chart.categories)
            for series in section.chart.series:
                data.add_series(series.name, series.values, series.number_format)
            kind = kinds.get(section.chart.kind, XL_CHART_TYPE.COLUMN_CLUSTERED)
            slide.shapes.add_chart(kind, Inches(5), Inches(1.5), Inches(7.5), Inches(4.5), data)
        if section.table:
            rows = list(section.table.rows)
            first = True
            while rows or first:
                take = plan.pop(0) if plan else len(rows)
                chunk, rows = rows[:take], rows[take:]
                if not first:
                    slide = prs.slides.add_slide(layout)
                    slide.shapes.title.text = f"{section.title.plain()} (continued)"
                    slide.notes_slide.notes_text_frame.text = "Continued."
                first = False
                cols = len(section.table.header)
                shape = slide.shapes.add_table(
                    len(chunk) + 1, cols, Inches(0.5), Inches(1.5), Inches(12), Inches(0.3) * (len(chunk) + 1)
                )
                for c, cell in enumerate(shape.table.rows[0].cells):
                    cell.text = section.table.header[c].plain()
                for r, row in enumerate(chunk, 1):
                    for c, cell in enumerate(shape.table.rows[r].cells):
                        cell.text = row[c].plain()
                        cell.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def baseline_paper(story: Story, reference: Path) -> bytes:
    """The paper's headings, text, tables and native charts with plain python-docx calls (python-docx has
    no chart API: the chart part is python-pptx's chart XML and workbook, related to the document)."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    document = docx.Document(str(reference))
    document.add_paragraph(story.title.plain(), style="Title")
    package = document.part.package
    for section in story.sections:
        if not section.in_paper or section.kind == "cover":
            continue
        document.add_paragraph(section.heading, style="Heading 1")
        document.add_paragraph(section.title.plain())
        for para in section.body:
            document.add_paragraph(para.plain())
        for bullet in section.bullets if not section.body else ():
            document.add_paragraph(bullet.plain(), style="List Bullet")
        if section.chart:
            data = CategoryChartData()
            data.categories = list(section.chart.categories)
            for series in section.chart.series:
                data.add_series(series.name, series.values, series.number_format)
            xlsx = Part(
                package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                data.xlsx_blob,
                package,
            )
            chart = Part(
                package.next_partname("/word/charts/chart%d.xml"),
                "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
                data.xml_bytes(XL_CHART_TYPE.COLUMN_CLUSTERED),
                package,
            )
            chart.relate_to(xlsx, RT.PACKAGE)
            rid = document.part.relate_to(chart, RT.CHART)
            document.add_paragraph()._p.append(
                parse_xml(
                    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
                    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                    '<w:drawing><wp:inline><wp:extent cx="5486400" cy="2834640"/><wp:docPr id="1" name="c"/>'
                    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
                    f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
                )
            )
        if section.table:
            rows = [section.table.header, *section.table.rows]
            grid = document.add_table(rows=len(rows), cols=len(section.table.header))
            for row, cells in zip(grid.rows, rows, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text.plain()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def bench_baseline(story: Story, repeat: int) -> dict[str, float]:
    from narrator.resources import reference_template

    pptx_ref, docx_ref = reference_template("pptx"), reference_template("docx")
    plan = deck_plan(render_pptx(story))
    return {
        "render deck": timed_ms(lambda: baseline_deck(story, pptx_ref, plan), repeat),
        "render paper": timed_ms(lambda: baseline_paper(story, docx_ref), repeat),
        "render deck + paper": timed_ms(
            lambda: (baseline_deck(story, pptx_ref, plan), baseline_paper(story, docx_ref)), repeat
        ),
    }


# -- report -------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=1000, help="sites, one pack each (default 1000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="default: one per core")
    parser.add_argument("--repeat", type=int, default=5, help="runs per in-process figure (median)")
    parser.add_argument("--skip-batch", action="store_true", help="only the in-process figures")
    args = parser.parse_args()
    print(
        f"narrator batch benchmark: Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{args.workers} workers, {args.segments} segments"
    )
    with tempfile.TemporaryDirectory(prefix="narrator-bench-") as tmp:
        folder = Path(tmp)
        config = make_pack_folder(folder, args.segments)
        segment = f"{REGIONS[0]} 0001"

        if not args.skip_batch:
            out = folder / "out"
            out.mkdir()
            b = bench_batch(config, out, args.workers)
            print(f"\n1. Batch: {b['packs']} packs (.pptx + .docx + run record each), check=fast")
            print(
                table(
                    [
                        ("first run", f"{b['first']:.1f} s", f"{b['packs'] / b['first']:.2f}"),
                        ("unchanged re-run", f"{b['second']:.1f} s", f"{b['packs'] / b['second']:.2f}"),
                    ],
                    ("", "total", "packs/s"),
                )
            )
            print(
                f"  files: {b['files']}; rewritten by the re-run: {b['rewritten']} "
                f"(packs reported written: {b['reported_written']})"
            )
            print(
                f"  peak memory (max RSS): this process {b['rss_self']:.0f} MB, largest worker {b['rss_child']:.0f} MB"
            )

        one = bench_one(config, segment, args.repeat)
        story = prepare(config, segment=segment).story
        base = bench_baseline(story, args.repeat)
        print(
            f"\n2. One site's pack in process, ms: median and fastest of {args.repeat} runs, against the "
            "plain-library baseline"
        )

        def cell(figures: dict, key: str) -> str:
            return f"{figures[key][0]:.0f} / {figures[key][1]:.0f}" if key in figures else "-"

        labels = {
            "prepare": "prepare (load, compute, tell)",
            "render deck": "render deck",
            "render paper": "render paper",
            "render deck + paper": "render deck + paper",
            "gate (fast)": "quality gate (fast)",
            "build, fast gate": "build, fast gate (all stages, written)",
        }
        print(
            table(
                [(label, cell(one, key), cell(base, key)) for key, label in labels.items()],
                ("median / fastest, ms", "narrator", "plain python-pptx/docx"),
            )
        )

        print("\n3. Deck time against size: an appendix table of N slides (the rest of the pack included)")
        print(table(bench_scaling(story, args.repeat), ("appendix slides", "deck slides", "ms", "ms/slide")))


if __name__ == "__main__":
    main()
