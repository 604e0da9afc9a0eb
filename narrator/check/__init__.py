"""The quality gate: find what would embarrass a board pack before anyone opens it.

Each concern has its own module: ``package`` (opens, validates against the Open XML schemas with
openxml-audit when installed), ``overflow`` (text that does not fit, measured with the renderer's font
metrics), ``access`` (alt text, slide titles, table headers), ``markers`` (leftover template text) and
``metadata`` (document properties), ``contrast`` (text and chart marks readable on their background)
and, given the Story, ``completeness`` (every segment reached the document). ``check_bytes`` gates a
build before anything is written; ``check_documents`` checks files on disk or in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from narrator.check.problem import Problem, kind_of
from narrator.limits import OFFICE, check_zip, read_bytes

__all__ = ["Problem", "check_bytes", "check_documents", "errors_only"]


def check_bytes(
    name: str, data: bytes, baseline: bytes | None = None, *, schema: bool = True, story=None, untrusted: bool = False
) -> list[Problem]:
    """Every problem in one .pptx or .docx given as bytes; other file kinds have nothing to check.

    ``baseline`` is an optional document built on the same reference template: validator findings it
    shares (a client template's own quirks) are not reported against this document. ``schema=False``
    skips the Open XML schema validation, by far the slowest check (seconds a file), and the reopening in
    python-pptx/python-docx, for batch runs; every XML part is still parsed and read by the other checks.
    ``story`` is the Story the document was rendered from: given, every segment of it must be in the
    document (``completeness``). ``untrusted``: a file someone gave ``narrator check``, not one narrator
    has just rendered; markup that stops a reading check is then the file's problem, reported as one.
    In narrator's own documents it is narrator's bug and raises.
    """
    from narrator.check.markers import check_markers
    from narrator.check.metadata import check_metadata
    from narrator.check.package import check_reopens, check_schema, open_package

    kind = kind_of(name)
    if kind is None:
        return []
    package, problems = open_package(name, data, kind)
    if package is None:
        return problems  # a package that does not open cannot be read any further
    if schema:
        problems = check_reopens(name, data, kind, package)
        if problems:
            return problems
        problems = check_schema(name, data, kind, baseline, package)
    try:
        problems += check_metadata(name, package.parts)
        problems += check_markers(name, package)
        problems += _deck(name, package) if kind == "pptx" else _paper(name, package)
        if story is not None:
            from narrator.check.completeness import check_completeness

            problems += check_completeness(name, package, story)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        if not untrusted:
            raise
        # Markup Office would never write (a row height of "tall") stops the reading checks; it is the
        # file's fault, reported as such (the schema findings above name the part), never a crash.
        problems.append(Problem(
            name, "", f"cannot read the document's layout ({type(exc).__name__}: {exc}); a value in its XML is "
            "not one Office writes: open and save it again in PowerPoint or Word, or rebuild it"
        ))
    return problems


def check_documents(
    documents: Iterable[str | Path] | Mapping[str, bytes], baseline: Mapping[str, bytes] | None = None
) -> list[Problem]:
    """Problems in each document: paths to files, or a mapping of names to bytes.

    ``baseline`` maps a kind ("pptx", "docx") to a document built on the same template (see check_bytes).
    Notes (a check skipped) come back as problems with ``severity == "note"``; gate on ``errors_only``.
    """
    items: list[tuple[str, bytes]]
    if isinstance(documents, Mapping):
        items = [(str(name), data) for name, data in documents.items()]
    else:
        items = []
        for path in map(Path, documents):
            if not path.is_file():
                items.append((str(path), b""))
                continue
            data = read_bytes(path, str(path), OFFICE)
            check_zip(data, str(path))
            items.append((str(path), data))
    problems: list[Problem] = []
    for name, data in items:
        if not data and kind_of(name):
            problems.append(Problem(name, "", "file not found or empty"))
            continue
        kind = kind_of(name)
        problems += check_bytes(name, data, (baseline or {}).get(kind) if kind else None, untrusted=True)
    return problems


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def _deck(name: str, package) -> list[Problem]:
    from narrator.check.access import check_deck_access
    from narrator.check.contrast import check_deck_contrast
    from narrator.check.deck_view import read_deck
    from narrator.check.overflow import check_deck_overflow

    deck = read_deck(package)
    return check_deck_access(name, deck) + check_deck_overflow(name, deck) + check_deck_contrast(name, package)


def _paper(name: str, package) -> list[Problem]:
    from narrator.check.access import check_paper_access
    from narrator.check.overflow import check_paper_overflow

    document = package.trees[package.main]
    styles = package.trees.get("word/styles.xml")
    theme = next((tree for part, tree in package.trees.items() if part.startswith("word/theme/")), None)
    return check_paper_access(name, document) + check_paper_overflow(name, document, styles, theme)
