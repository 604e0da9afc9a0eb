"""The command line: parses options, calls the library, maps errors to messages and exit codes.

Exit codes: 0 success; 1 internal error (a bug: please report it); 2 bad input or usage.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from narrator import __version__
from narrator.errors import NarratorError

EXIT_INTERNAL = 1
EXIT_USER = 2


def _reports_errors(command):
    """Turn NarratorError into one line per problem on stderr and its exit code; never a traceback for
    something the user can fix."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        try:
            return command(*args, **kwargs)
        except NarratorError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            ctx.exit(0)  # the reader (e.g. `| head`) has all it wanted
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was written", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("this is a bug in narrator; run again with --debug for details and report it", err=True)
            ctx.exit(EXIT_INTERNAL)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="narrator")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
def cli(debug: bool) -> None:
    """narrator turns contact-centre KPIs and value translations into a board pack:
    a board paper (.docx) and a deck (.pptx) that lead with value."""


def _out_option(default: str, help_text: str):
    """The -o/--out folder option the writing commands share."""
    folder = click.Path(path_type=Path)
    return click.option("-o", "--out", "out_dir", type=folder, default=Path(default), show_default=True, help=help_text)


@cli.command()
@click.argument("config", type=click.Path(path_type=Path))
@_out_option("out", "Folder for the documents and the run record.")
@click.option(
    "--polish/--no-polish",
    default=None,
    help="Polish the wording with an LLM (numbers locked). Default: the config's llm.enabled.",
)
@click.option("--no-check", is_flag=True, help="Skip the quality gate (see narrator check) and write anyway.")
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    default=None,
    help="Last report's run record, for the 'since the last report' section. Default: the latest "
    "earlier record of this pack in the output folder.",
)
@click.option(
    "--period",
    default=None,
    help="The month or quarter to report, e.g. 2025-11, overriding the config's period (default: the "
    "latest in the data). Rebuilds a past month's pack.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@_reports_errors
def build(
    config: Path,
    out_dir: Path,
    polish: bool | None,
    no_check: bool,
    previous: Path | None,
    period: str | None,
    quiet: bool,
) -> None:
    """Build the board pack described by CONFIG (a report .yaml).

    The documents must pass the quality gate before anything is written (exit code 3 if not)."""
    from narrator.deck_process import DeckProcess
    from narrator.pipeline import build as build_pack

    # Forked once the modules both processes need are imported: the helper then imports only the
    # deck's (python-pptx, the renderer, the gate) while this process loads the data.
    deck_process = DeckProcess.start()
    try:
        check = "off" if no_check else "full"
        result = build_pack(
            config, out_dir, polish=polish, check=check, previous=previous, period=period, deck_process=deck_process
        )
    finally:
        if deck_process is not None:
            deck_process.close()
    # Warnings reach the reader even with --quiet: a value claim the data cannot support must be seen.
    for warning in result.computed.warnings:
        click.echo(f"warning: {warning}", err=True)
    if quiet:
        return
    for kind, path in result.outputs.items():
        state = "unchanged" if path in result.unchanged else "written"
        click.echo(f"{kind:7} {path}  ({state})")
    if result.polish is not None:
        click.echo(result.polish.summary())
        for segment_id, reason in result.polish.fallbacks().items():
            click.echo(f"  fallback {segment_id}: {reason}")
    slides = sum(1 for s in result.story.sections if s.in_deck)
    click.echo(f"built {result.story.slug}: {slides} sections in {result.seconds:.2f} s")


@cli.command()
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@_out_option("out", "Folder for every pack and the batch record.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Packs built at once, each in its own process. Default: one per CPU core.",
)
@click.option("--shard", default=None, metavar="I/N", help="Build only shard I of N (e.g. 2/4) of the packs.")
@click.option(
    "--check",
    "check",
    type=click.Choice(["full", "fast", "off"]),
    default="full",
    show_default=True,
    help="Quality gate per pack: full is the gate of narrator build; fast skips its schema validation.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (for schedulers); the summary still prints.")
@_reports_errors
def batch(target: Path, out_dir: Path, jobs: int | None, shard: str | None, check: str, quiet: bool) -> None:
    """Build one pack per segment in TARGET's data (a config), or per config in TARGET (a folder).

    One failing pack does not stop the others; the exit code is 0 only when every pack built."""
    if _collector_paused:  # thousands of packs in one run: cycles are collected as they go
        import gc

        gc.enable()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from narrator.batch import parse_shard, plan_jobs, record_name, run_batch, select_shard

    shard_spec = parse_shard(shard)
    selected = select_shard(plan_jobs(target), shard_spec)
    console = Console(highlight=False, soft_wrap=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=quiet or not sys.stderr.isatty(),
    )
    with progress:
        task = progress.add_task("building packs", total=len(selected))
        result = run_batch(
            selected,
            out_dir,
            workers=jobs,
            shard=shard_spec,
            check=check,
            on_done=lambda _: progress.advance(task),
        )
    table = Table("pack", "status", "detail", box=None, pad_edge=False)
    for outcome in result.outcomes:
        detail = outcome.problems[0] if outcome.problems else f"{outcome.slug}.docx .pptx .run.json"
        table.add_row(outcome.name, outcome.status, detail)
    console.print(table)
    failed = len(result.failed)
    console.print(
        f"{len(result.outcomes) - failed} of {len(result.outcomes)} packs built"
        + (f", {failed} failed" if failed else "")
        + f"; record: {out_dir / record_name(shard_spec)}"
    )
    if result.exit_code:
        raise SystemExit(result.exit_code)


@cli.command()
@click.argument("before", type=click.Path(path_type=Path))
@click.argument("after", type=click.Path(path_type=Path))
@_reports_errors
def diff(before: Path, after: Path) -> None:
    """Show what changed between two run records (e.g. last month's and this month's .run.json)."""
    from narrator.diff import diff_records, read_record

    for line in diff_records(read_record(before), read_record(after)).lines():
        click.echo(line)


@cli.command()
@click.argument("config", type=click.Path(path_type=Path))
@_reports_errors
def validate(config: Path) -> None:
    """Check CONFIG, its inputs and templates without writing anything."""
    from narrator.pipeline import validate as validate_pack

    prepared = validate_pack(config)
    dataset = prepared.dataset
    periods = dataset.periods
    click.echo(
        f"ok: {len(dataset.observations)} KPI values for {len(dataset.kpis)} KPIs, "
        f"{periods[0].key()} to {periods[-1].key()}"
        + (f", {len(dataset.segments)} segments" if dataset.segments else "")
        + f"; {len(dataset.value_items)} value items"
        + ("; investment ask" if dataset.investment else "")
        + f"; reporting period {prepared.computed.frame.current.key()}; {len(prepared.story.sections)} sections"
    )
    if dataset.columns:
        source = dataset.input_files.get("kpis") or dataset.kpi_source.get("url") or "the KPI data"
        click.echo(f"columns of {source}:")
        width = max(len(header) for header, _ in dataset.columns)
        for header, use in dataset.columns:
            first, *more = use.split("\n")
            click.echo(f"  {header:<{width}}  {first}")
            for line in more:
                click.echo(f"  {'':<{width}}    {line}")
    for note in dataset.notes:
        click.echo(f"note: {note}")


@cli.command()
@click.argument("config", type=click.Path(path_type=Path), required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON, for integrators.")
@_reports_errors
def kpis(config: Path | None, as_json: bool) -> None:
    """List the KPI catalogue: id, label, unit, which way is good, how segments combine, aliases and
    definition. With CONFIG, the config's own KPIs and overrides are included."""
    import json

    from narrator.catalogue import Catalogue, describe_kpi

    custom, name = {}, "config"
    if config is not None:
        from narrator.config import load_config

        loaded = load_config(config)
        custom, name = loaded.config.kpis, str(loaded.path)
    rows = [describe_kpi(kpi) for kpi in Catalogue.build(custom, name)]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None)
    for header in ("id", "label", "unit", "better", "segments combine", "aliases", "definition"):
        table.add_column(header, no_wrap=header in {"id", "unit", "better", "segments combine"})
    for row in rows:
        table.add_row(row["id"], row["label"], row["unit"], row["favourable"], row["combine"],
                      ", ".join(row["aliases"]), row["definition"])
    Console(width=max(160, Console().width), soft_wrap=False).print(table)


@cli.command()
@click.argument("config", type=click.Path(path_type=Path))
@click.option("--text", "as_text", is_flag=True,
              help="Print the narrative as text, each block marked with where it lands and the ready phrases it "
              "used (fast, no Office files).")
@click.option("--period", default=None, help="The month or quarter to preview, e.g. 2025-11 (default: the config's).")
@_out_option("preview", "Folder for the page images (not with --text).")
@_reports_errors
def preview(config: Path, as_text: bool, period: str | None, out_dir: Path) -> None:
    """Preview the pack: page images and a contact sheet of the deck and the paper (through LibreOffice),
    or with --text the narrative as marked text. Writes no documents."""
    from narrator.pipeline import prepare, render_documents

    prepared = prepare(config, period=period)
    if as_text:
        from narrator.tell.text_preview import text_preview

        click.echo(text_preview(prepared.story))
        return
    from narrator.preview import preview_pages

    documents = render_documents(prepared.story, prepared.loaded)
    named = {f"{prepared.story.slug}.{kind}": data for kind, data in documents.items() if kind in ("docx", "pptx")}
    for path in preview_pages(named, out_dir):
        click.echo(str(path))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_reports_errors
def check(files: tuple[Path, ...]) -> None:
    """Check built .pptx/.docx FILES against the board-ready gate: schema validity, text overflow, alt text
    and titles, leftover template markers, stale metadata. Exits 3 when a problem is found."""
    from narrator.check import check_documents, errors_only

    problems = check_documents(files)
    for problem in problems:
        click.echo(str(problem))
    errors = errors_only(problems)
    if errors:
        click.echo(f"{_count(len(errors), 'problem')} in {_count(len(files), 'file')}", err=True)
        raise SystemExit(3)
    click.echo(f"ok: {_count(len(files), 'file')} {'passes' if len(files) == 1 else 'pass'} the board-ready checks")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@_reports_errors
def init(folder: Path) -> None:
    """Create FOLDER with editable templates, prompts and a sample pack that builds as it is."""
    from narrator.scaffold import init_project

    init_project(folder)
    click.echo(
        f"created {folder}: report.yaml, its data files, templates/, prompts/, monthly-pack.sh and a CI workflow "
        "that runs it every month (.github/workflows/monthly-pack.yml: it installs narrator from a wheel in wheels/)"
    )
    click.echo(
        f"next: edit {folder / 'templates'}, run `narrator templates lint {folder}`, "
        f"then `narrator build {folder / 'report.yaml'}`"
    )


@cli.group()
def templates() -> None:
    """See, check and inspect templates: the narrative (.j2) and the Office reference files."""


def _project(path: Path | None) -> tuple[Path | None, list[Path]]:
    """The config and user template folders of a project folder (made by narrator init) or config file."""
    from narrator.config import load_config

    path = path or Path(".")
    config = path if path.is_file() else path / "report.yaml"
    if config.is_file():
        loaded = load_config(config)
        return config, [loaded.resolve(p) for p in loaded.config.templates]
    folder = path / "templates" if (path / "templates").is_dir() else path
    return None, [folder]


@templates.command("inspect")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@_reports_errors
def templates_inspect(file: Path) -> None:
    """Show an Office reference template's layouts and placeholders (.pptx/.potx) or styles (.docx/.dotx),
    and which of them narrator will use."""
    from narrator.render.inspect import inspect_template

    click.echo(inspect_template(file))


@templates.command("list")
@click.argument("project", required=False, type=click.Path(exists=True, path_type=Path))
@_reports_errors
def templates_list(project: Path | None) -> None:
    """Show the template search path and which file wins for each template name."""
    from narrator.tell.inventory import search_path, template_entries

    _, user_dirs = _project(project)
    click.echo("search path (first match wins):")
    for i, folder in enumerate(search_path(user_dirs), start=1):
        click.echo(f"  {i}. {folder}" + ("  (built-in)" if i == len(user_dirs) + 1 else ""))
    for entry in template_entries(user_dirs):
        origin = "built-in" if entry.is_default else str(entry.winner)
        overrides = "  (overrides the built-in)" if entry.shadowed and not entry.is_default else ""
        click.echo(f"{entry.name:34} {origin}{overrides}")


@templates.command("lint")
@click.argument("project", required=False, type=click.Path(exists=True, path_type=Path))
@_reports_errors
def templates_lint(project: Path | None) -> None:
    """Check templates: syntax, unknown variables, typed-in numbers, and a render against the samples and
    edge cases (no prior period, no targets, a KPI that got worse, no value data)."""
    from narrator.tell.lint import default_scenarios, lint_templates

    config, user_dirs = _project(project)
    scenarios = default_scenarios(_load_for_lint)
    if config is not None:
        loaded, dataset = _load_for_lint(config)
        scenarios.insert(0, ("your pack", loaded, dataset))
    problems = lint_templates(user_dirs, scenarios)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise SystemExit(EXIT_USER)
    click.echo(f"ok: templates pass lint against {len(scenarios)} scenarios")


def _load_for_lint(config: Path):
    from narrator.catalogue import Catalogue
    from narrator.config import load_config
    from narrator.load import load_dataset

    loaded = load_config(config)
    return loaded, load_dataset(loaded, Catalogue.build(loaded.config.kpis, str(loaded.path)))


def _count(number: int, noun: str) -> str:
    """ "1 file", "2 files"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


_collector_paused = False
"""True when main() turned the cycle collector off: only then does ``batch`` turn it back on, so a program
that runs the commands itself (click's test runner, someone else's process) keeps its own setting."""


def main() -> None:
    """The ``narrator`` command: a process of our own, so ``build`` may fork its deck process, and may end
    without tearing down its modules (see ``_leave``)."""
    import gc

    from narrator.deck_process import allow_forking

    allow_forking()
    # One command, one pack at most, then the process ends: the cycle collector only walked the imported
    # modules' objects again and again (35 ms of a 0.29 s preview --text, 60 ms of the council's build),
    # and whatever cycles a pack leaves are freed at exit. `batch` runs for minutes and turns it back on.
    global _collector_paused
    _collector_paused = gc.isenabled()
    gc.disable()
    try:
        cli.main(prog_name="narrator")
    except SystemExit as finished:
        _leave(finished.code)
    _leave(0)


def _leave(code: object) -> None:
    """End the process as ``sys.exit(code)`` would, without the interpreter's teardown.

    Freeing every module and object one by one at exit took 50 ms of a 0.32 s ``narrator preview --text``
    (the pipeline's imports leave a large heap), and a process about to end has no use for the memory.
    What exit must still do is done here: the atexit handlers run (logging's flush, weakref finalizers,
    temporary folders), and stdout and stderr are flushed. Only the command's own process ends this way;
    narrator used as a library, or through click's test runner, exits as usual."""
    import atexit
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message goes to stderr and the status is 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (narrator ... | head), or a closed stream
            status = status or 1
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
