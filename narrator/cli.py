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
            click.echo(
                "this is a bug in narrator; run again with --debug for details and report it", err=True
            )
            ctx.exit(EXIT_INTERNAL)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="narrator")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
def cli(debug: bool) -> None:
    """narrator turns contact-centre KPIs and value translations into a board pack:
    a board paper (.docx) and a deck (.pptx) that lead with value."""


@cli.command()
@click.argument("config", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for the documents and the run record.",
)
@click.option(
    "--polish/--no-polish",
    default=None,
    help="Polish the wording with an LLM (numbers locked). Default: the config's llm.enabled.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@_reports_errors
def build(config: Path, out_dir: Path, polish: bool | None, quiet: bool) -> None:
    """Build the board pack described by CONFIG (a report .yaml)."""
    from narrator.pipeline import build as build_pack

    result = build_pack(config, out_dir, polish=polish)
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


@cli.command()
@click.argument("config", type=click.Path(path_type=Path))
@click.option(
    "--text", "as_text", is_flag=True, help="Print the narrative as Markdown (fast, no Office files)."
)
@_reports_errors
def preview(config: Path, as_text: bool) -> None:
    """Preview the pack's narrative without writing the documents."""
    from narrator.pipeline import prepare
    from narrator.render.markdown import render_markdown

    if not as_text:
        raise click.UsageError("only --text is available in this version")
    click.echo(render_markdown(prepare(config).story))


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@_reports_errors
def init(folder: Path) -> None:
    """Create FOLDER with editable templates, prompts and a sample pack that builds as it is."""
    from narrator.scaffold import init_project

    init_project(folder)
    click.echo(f"created {folder}: report.yaml, its data files, templates/ and prompts/")
    click.echo(f"next: edit {folder / 'templates'}, run `narrator templates lint {folder}`, "
               f"then `narrator build {folder / 'report.yaml'}`")


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


def main() -> None:
    cli.main(prog_name="narrator")


if __name__ == "__main__":
    sys.exit(main())
