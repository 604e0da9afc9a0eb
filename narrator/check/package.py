"""Package validity: a readable zip with the right main part and well-formed XML parts, reopening in
python-pptx/docx, openxml-audit."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata

from lxml import etree

from narrator.check.problem import Problem, kind_of, relationships
from narrator.check.verdicts import VerdictStore

_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)
_MAIN_PART = {"pptx": "ppt/presentation.xml", "docx": "word/document.xml"}
_MAIN = {
    "pptx": "presentationml.presentation.main+xml",
    "docx": "wordprocessingml.document.main+xml",
}


@dataclass(frozen=True)
class Package:
    """An opened package: its zip members by name and every XML part parsed, once for all the checks.

    What several checks derive from the same parts (a part's relationships, the deck view) is worked out
    once and kept with the package, so it lives exactly as long as the package does."""

    kind: str
    parts: dict[str, bytes]
    trees: dict[str, etree._Element]
    main: str  # the main document part (ppt/presentation.xml, word/document.xml in every usual file)
    # The zip entries as (name, content) in zip order, duplicates included, as the schema validation
    # reads them: the package is unzipped once for all the checks.
    members: tuple[tuple[str, bytes], ...] = ()
    _derived: dict = field(default_factory=dict, compare=False, repr=False)

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """``problem.relationships`` of a part, read once; callers only read the mapping."""
        key = ("rels", part)
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = relationships(self.parts, part)
        return found

    def derived(self, key: str, make):
        """``make(self)``, made on the first call with ``key`` and kept for the package's later calls."""
        if key not in self._derived:
            self._derived[key] = make(self)
        return self._derived[key]


def _main_part(trees: dict[str, etree._Element], kind: str) -> str:
    rels = trees.get("_rels/.rels")
    for rel in rels if rels is not None else ():
        if str(rel.get("Type", "")).endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return _MAIN_PART[kind]


def open_package(name: str, data: bytes, kind: str) -> tuple[Package | None, list[Problem]]:
    """``(package, [])`` for a package that opens, ``(None, problems)`` for one that does not: not a zip,
    a damaged zip, no main document part, or an XML part that is not well-formed."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        problem = Problem(name, "package", "not a zip package; the file is damaged or not an Office file")
        return None, [problem]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = tuple((info.filename, zf.read(info)) for info in zf.infolist())
        parts = dict(members)  # a duplicated name: its last entry, as ZipFile.read gives it
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return None, [Problem(name, "package", f"the zip package is damaged ({exc})")]
    types = parts.get("[Content_Types].xml", b"").decode("utf-8", "replace")
    if _MAIN[kind] not in types:
        return None, [Problem(name, "[Content_Types].xml", f"no {kind} main document part; the file will not open")]
    trees, problems = {}, []
    for part, blob in parts.items():
        if part.endswith((".xml", ".rels")):
            try:
                trees[part] = _parse(blob)
            except etree.XMLSyntaxError as exc:
                problems.append(Problem(name, part, f"not well-formed XML ({exc}); the file will not open"))
    main = _main_part(trees, kind)
    if not problems and main not in trees:
        problems.append(Problem(name, main, "the main document part is missing; the file will not open"))
    return (None if problems else Package(kind, parts, trees, main, members)), problems


@lru_cache(maxsize=512)
def _parse(blob: bytes) -> etree._Element:
    """A part parsed, once per process for the same bytes: a batch's packs share their template's masters,
    layouts, theme and styles. The checks only read the trees, never change them."""
    return etree.fromstring(blob, _PARSER)


# libxml2's limit on one text node without huge_tree, which python-pptx's and python-docx's parsers
# keep: a part this large could hold text they refuse even where narrator's own parser read it.
_TEXT_LIMIT = 10_000_000


def check_reopens(name: str, data: bytes, kind: str, package: Package | None = None) -> list[Problem]:
    """Whether python-pptx or python-docx opens the package: what most tools that read it will do.

    The answer for the same bytes and library version is remembered (``verdicts.py``); so is the answer
    for the same markup, given the ``package`` already parsed: opening reads the zip, the content types
    and the relationships, and parses each XML part, and a package whose every part parsed (with no part
    large enough to hit the text-size limit the libraries keep) differs from another of the same markup
    only in character data those libraries do not read when they open it. A monthly pack or a batch's
    packs differ from the last in their words and figures, not their markup."""
    store = _reopen_verdicts(kind)
    key = hashlib.sha256(data).hexdigest()
    found = store.get(key)
    if found is None and package is not None and all(len(blob) < _TEXT_LIMIT for _, blob in package.members):
        from narrator.check.schema import package_markup

        markup_key = hashlib.sha256(f"reopen|{package_markup(data, kind, package)[0]}".encode()).hexdigest()
        found = store.get(markup_key)
        if found is None:
            found = tuple((message,) for message in _reopen(data, kind))
            store.put(markup_key, found)
        store.put(key, found)
    elif found is None:
        found = tuple((message,) for message in _reopen(data, kind))
        store.put(key, found)
    return [Problem(name, "package", message) for (message,) in found]


@lru_cache(maxsize=2)
def _reopen_verdicts(kind: str) -> VerdictStore:
    library = "python-pptx" if kind == "pptx" else "python-docx"
    try:
        version = metadata.version(library)
    except metadata.PackageNotFoundError:
        version = "unknown"
    return VerdictStore(f"reopen-{library}{version}-v1")


def _reopen(data: bytes, kind: str) -> list[str]:
    try:
        if kind == "pptx":
            from pptx import Presentation

            Presentation(io.BytesIO(data))
        else:
            import docx

            docx.Document(io.BytesIO(data))
    except Exception as exc:  # any failure to reopen is the finding itself
        return [f"does not reopen with python-{kind[:-1]}: {type(exc).__name__}: {exc}"]
    return []


def check_schema(
    name: str, data: bytes, kind: str, baseline: bytes | None = None, package: Package | None = None
) -> list[Problem]:
    """Schema and semantic findings from openxml-audit, less those a baseline from the same template has.

    Verdicts on markup validated before are remembered (``schema.py``): the findings are the validator's
    own, at a fraction of its time. ``package``: ``data`` opened already (its zip is not read again)."""
    from narrator.check.schema import validate_package

    suffix = name.lower().rsplit(".", 1)[-1] if kind_of(name) else kind  # .potx is checked as a template
    try:
        found = validate_package(data, suffix, package)
        known = {_signature(f) for f in validate_package(baseline, kind)} if baseline else set()
    except ImportError:
        return [
            Problem(
                name,
                "package",
                "schema validation skipped: openxml-audit is not installed (pip install openxml-audit)",
                severity="note",
            )
        ]
    return [
        Problem(name, part or "package", f"[{error_type}] {description}")
        for error_type, part, description in found
        if _signature((error_type, part, description)) not in known
    ]


def _signature(finding: tuple[str, str, str]) -> tuple[str, str]:
    # Part numbers differ between a baseline and a full document (slide3, slide12): compare part kinds.
    _error_type, part, description = finding
    return "".join(ch for ch in (part or "") if not ch.isdigit()), description
