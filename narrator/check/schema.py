"""Open XML schema and semantic validation with openxml-audit, answering from remembered verdicts.

openxml-audit (a pure-Python port of the Open XML SDK validator) takes a second for a pack in a fresh
process and a third of a second warm, most of it spent on parts the pack shares with every other pack on
its template (masters, layouts, themes, styles) or with last month's pack. Its checks read element
names, attributes and structure, never character data (verified against openxml-audit 0.8: no check
reads ``.text``, ``.tail``, ``text()`` or ``itertext``), with four exceptions handled below: the document
properties, [Content_Types].xml, the Word styles parts compared with stylesWithEffects, and customXml
items. So a verdict depends on a part's *markup*, the part with its text taken out, and is remembered:

- a document whose markup (every part's, text-reading parts whole, binary parts whole, zip entry names
  in order) was validated before gets the same findings without running the validator at all;
- otherwise the validator runs, but each part whose markup was schema-validated before (in any document,
  build or process) is not validated again: only what narrator wrote that is new is.

Verdicts are keyed by the validator's version and the options below (``verdicts.py`` keeps them). The
test suite keeps openxml-audit run the plain way as the oracle: same findings on the samples, the
template corpus and mutated documents.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import zipfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from narrator.check.verdicts import VerdictStore

# Bump when the keys, what they cover or the way findings are stored changes.
_SCHEME = "1"
# What every part is taken to be: the validator's defaults, which the plain validator uses too.
_OPTIONS = "office2019-strict-max1000"

# Markup: every tag, comment and processing instruction, with quoted attribute values whole (they may
# hold ">"). Character data between tags is what the validator never reads.
_MARKUP = re.compile(rb"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
# Parts some check reads as text, or whose markup alone could hide what the text means: kept whole.
_READ_WHOLE = re.compile(r"^(\[Content_Types\]\.xml|docProps/.*|customXml/.*|.*[Ss]tyles[^/]*\.xml)$")


def skeleton(blob: bytes) -> bytes:
    """A part's markup without its character data; the part whole where stripping could mislead.

    Text is only ever between tags in a well-formed UTF-8 or single-byte part. A part with a comment,
    CDATA or a DOCTYPE (whose entities can expand to markup) or in UTF-16/32 is kept whole."""
    if b"<!" in blob or b"\x00" in blob:
        return blob
    return b"".join(_MARKUP.findall(blob))


def part_digest(name: str, blob: bytes) -> bytes:
    is_xml = name.endswith((".xml", ".rels"))
    return hashlib.sha256(skeleton(blob) if is_xml and not _READ_WHOLE.match(name) else blob).digest()


@lru_cache(maxsize=1)
def validator_version() -> str | None:
    """openxml-audit's version without importing it (importing costs a tenth of a second), or None."""
    try:
        return metadata.version("openxml-audit")
    except metadata.PackageNotFoundError:
        return None


def _store(kind: str) -> VerdictStore:
    return _stores(validator_version() or "none", kind)


@lru_cache(maxsize=8)
def _stores(version: str, kind: str) -> VerdictStore:
    return VerdictStore(f"openxml-audit{version}-{_OPTIONS}-{kind}-v{_SCHEME}")


# A finding as stored: (error type, severity, part, description, path, node, related node, id, source).


def _to_row(error) -> tuple:
    return (
        error.error_type.value,
        error.severity.value,
        error.part_uri,
        error.description,
        error.path,
        error.node,
        error.related_node,
        error.id,
        error.source_class.value,
    )


def _with_part(row: tuple, part_uri: str | None) -> tuple:
    return row[:2] + (part_uri,) + row[3:]


def _from_row(row: tuple):
    from openxml_audit.errors import SourceClass, ValidationError, ValidationErrorType, ValidationSeverity

    kind, severity, part, description, path, node, related, error_id, source = row
    return ValidationError(
        error_type=ValidationErrorType(kind),
        description=description,
        part_uri=part,
        path=path,
        node=node,
        related_node=related,
        severity=ValidationSeverity(severity),
        id=error_id,
        source_class=SourceClass(source),
    )


def document_key(data: bytes, suffix: str) -> str:
    """The digest of everything the validator's verdict on a package depends on, its file name's
    extension included (the validator compares it with the main content type)."""
    digest = hashlib.sha256(f"{_SCHEME}|{_OPTIONS}|{suffix}".encode())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():  # in zip order, duplicates included: the validator sees the zip itself
            digest.update(info.filename.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(part_digest(info.filename, zf.read(info)))
    return digest.hexdigest()


def validate_package(data: bytes, suffix: str) -> list[tuple[str, str, str]]:
    """openxml-audit's findings on a package named ``*.<suffix>`` (pptx, potx, docx ...), as (error type,
    part, description), from memory when its markup was validated before. Raises ImportError when
    openxml-audit is not installed."""
    if validator_version() is None:
        raise ImportError("openxml-audit is not installed")
    store = _store("document")
    try:
        key = document_key(data, suffix)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        key = None  # the validator reports a damaged zip itself
    rows = store.get(key) if key else None
    if rows is None:
        rows = tuple(_to_row(error) for error in _validate(data, suffix))
        if key:
            store.put(key, rows)
    return [(row[0], row[2], row[3]) for row in rows]


def _validate(data: bytes, suffix: str) -> list:
    with tempfile.TemporaryDirectory(prefix="narrator-check-") as folder:
        path = Path(folder) / f"document.{suffix}"
        path.write_bytes(data)
        return list(_remembering_validator()().validate(path).errors)


@lru_cache(maxsize=1)
def _remembering_validator():
    """The validator class, made on first need so that a remembered document never imports openxml-audit."""
    from openxml_audit import OpenXmlValidator
    from openxml_audit.context import ValidationContext
    from openxml_audit.parts import OpenXmlPart
    from openxml_audit.schema.validator import SchemaValidator

    schema_validator = lru_cache(maxsize=1)(SchemaValidator)  # loading the schemas is the cold second
    parts = _store("part")

    class RememberingValidator(OpenXmlValidator):
        """openxml-audit with its schema phase answered part by part from remembered verdicts.

        The schema phase validates each XML part on its own (element names, attributes and children,
        nothing else in the package), so a part's verdict is reused wherever the same markup appears."""

        def __init__(self):
            super().__init__(schema_validation=False)
            self._schema_validation = True

        def validate_with_timings(self, path, include_schema_breakdown=False):
            # The base class runs the schema phase only when it has a schema validator: a stand-in until a
            # part's markup is new and the real one (shared by the process) is needed.
            self._schema_validator = _DEFERRED
            return super().validate_with_timings(path, include_schema_breakdown=False)

        def _validate_schema(self, package, collect_hot_path_metrics=False):
            errors, counted, limit = [], 0, self._max_errors
            for part_uri in package.list_parts():
                content_type = package.content_types.get_content_type(part_uri)
                if not (content_type and "xml" in content_type):
                    continue
                for error in self._part_schema_errors(package, part_uri):
                    if limit and counted >= limit:
                        return errors  # the plain validator stops collecting at its error limit
                    errors.append(error)
                    counted += error.severity.value == "error"
            return errors

        def _part_schema_errors(self, package, part_uri):
            part = OpenXmlPart(package, part_uri)
            blob = package.get_part_content(part_uri)
            if blob is None or part.xml is None:
                return []  # not XML after all (an embedded workbook): the plain validator skips it too
            key = hashlib.sha256(skeleton(blob)).hexdigest()
            rows = parts.get(key)
            if rows is None:
                # Stored without the part's name: the same markup may be another document's slide9.
                rows = tuple(_with_part(_to_row(error), None) for error in self._schema_errors(package, part))
                parts.put(key, rows)
            return [_from_row(_with_part(row, part_uri)) for row in rows]

        def _schema_errors(self, package, part):
            context = self._context(package)
            schema_validator().validate_part(part, context)
            return list(context.errors)

        def _context(self, package):
            return ValidationContext(
                package=package, file_format=self._file_format, max_errors=self._max_errors, strict=self._strict
            )

    return RememberingValidator


_DEFERRED = object()
