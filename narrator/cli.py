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


@cli.command()
@click.argument("config", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder for the documents and the run record.")
@click.option("--polish/--no-polish", default=None,
              help="Polish the wording with an LLM (numbers locked). Default: the config's llm.enabled.")
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
        click.echo(result.polish.summary() if hasattr(result.polish, "summary") else str(result.polish))
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
@click.option("--text", "as_text", is_flag=True, help="Print the narrative as Markdown (fast, no Office files).")
@_reports_errors
def preview(config: Path, as_text: bool) -> None:
    """Preview the pack's narrative without writing the documents."""
    from narrator.pipeline import prepare
    from narrator.render.markdown import render_markdown

    if not as_text:
        raise click.UsageError("only --text is available in this version")
    click.echo(render_markdown(prepare(config).story))


def main() -> None:
    cli.main(prog_name="narrator")


if __name__ == "__main__":
    sys.exit(main())
