"""Package validity: a readable zip with the right main part, reopening in python-pptx/docx, openxml-audit."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from narrator.check.problem import Problem, read_parts

_MAIN = {
    "pptx": "presentationml.presentation.main+xml",
    "docx": "wordprocessingml.document.main+xml",
}


def check_package(name: str, data: bytes, kind: str) -> list[Problem]:
    """Whether the package opens at all; when this finds anything, no other check can read the file."""
    return open_package(name, data, kind)[1]


Opened = tuple[dict[str, bytes], object]  # the zip members by name, the reopened document


def open_package(name: str, data: bytes, kind: str) -> tuple[Opened | None, list[Problem]]:
    """``((parts, document), [])`` for a package that opens, ``(None, problems)`` for one that does not.

    ``parts`` are the zip members by name and ``document`` the python-pptx Presentation or python-docx
    Document it reopens as, so the other checks read the package once between them.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        problem = Problem(name, "package", "not a zip package; the file is damaged or not an Office file")
        return None, [problem]
    try:
        parts = read_parts(data)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return None, [Problem(name, "package", f"the zip package is damaged ({exc})")]
    types = parts.get("[Content_Types].xml", b"").decode("utf-8", "replace")
    if _MAIN[kind] not in types:
        return None, [Problem(name, "[Content_Types].xml", f"no {kind} main document part; the file will not open")]
    try:
        if kind == "pptx":
            from pptx import Presentation

            document = Presentation(io.BytesIO(data))
        else:
            import docx

            document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # any failure to reopen is the finding itself
        return None, [Problem(name, "package", f"does not reopen with python-{kind[:-1]}: {type(exc).__name__}: {exc}")]
    return (parts, document), []


def check_schema(name: str, data: bytes, kind: str, baseline: bytes | None = None) -> list[Problem]:
    """Schema and semantic findings from openxml-audit, less those a baseline from the same template has."""
    try:
        from openxml_audit import OpenXmlValidator
    except ImportError:
        return [
            Problem(
                name,
                "package",
                "schema validation skipped: openxml-audit is not installed (pip install openxml-audit)",
                severity="note",
            )
        ]
    known = {_signature(e) for e in _validate(OpenXmlValidator, baseline, kind)} if baseline else set()
    return [
        Problem(name, e.part_uri or "package", f"[{e.error_type.value}] {e.description}")
        for e in _validate(OpenXmlValidator, data, kind)
        if _signature(e) not in known
    ]


def _validate(validator_class, data: bytes, kind: str) -> list:
    with tempfile.TemporaryDirectory(prefix="narrator-check-") as folder:
        path = Path(folder) / f"document.{kind}"
        path.write_bytes(data)
        return list(validator_class().validate(path).errors)


def _signature(error) -> tuple[str, str]:
    # Part numbers differ between a baseline and a full document (slide3, slide12): compare part kinds.
    part = "".join(ch for ch in (error.part_uri or "") if not ch.isdigit())
    return part, error.description
