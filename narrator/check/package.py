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

# Parts are parsed within libxml2's default limits first (nesting depth, text and name lengths), the
# limits python-pptx's, python-docx's and openxml-audit's parsers keep; only a part beyond them is parsed
# again with huge_tree. Below the limits both parsers make the same tree, and which parts needed huge_tree
# is what tells the reopen check and the validator whether those libraries' parsers would read a part.
_PLAIN = etree.XMLParser(resolve_entities=False)
_HUGE = etree.XMLParser(resolve_entities=False, huge_tree=True)
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
    # The XML parts that parsed within libxml2's default limits (all of them in any usual file).
    plain: frozenset[str] = frozenset()
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
    trees, plain, problems = {}, set(), []
    for part, blob in parts.items():
        if part.endswith((".xml", ".rels")):
            try:
                trees[part], within_limits = _parse(blob)
            except etree.XMLSyntaxError as exc:
                problems.append(Problem(name, part, f"not well-formed XML ({exc}); the file will not open"))
                continue
            if within_limits:
                plain.add(part)
    main = _main_part(trees, kind)
    if not problems and main not in trees:
        problems.append(Problem(name, main, "the main document part is missing; the file will not open"))
    return (None if problems else Package(kind, parts, trees, main, members, frozenset(plain))), problems


@lru_cache(maxsize=512)
def _parse(blob: bytes) -> tuple[etree._Element, bool]:
    """A part parsed, and whether it parsed within libxml2's default limits; once per process for the
    same bytes: a batch's packs share their template's masters, layouts, theme and styles. The checks
    only read the trees, never change them. A part that is not well-formed raises the error huge_tree
    parsing gives, whichever limit the first parse stopped at."""
    try:
        return etree.fromstring(blob, _PLAIN), True
    except etree.XMLSyntaxError:
        return etree.fromstring(blob, _HUGE), False


def check_reopens(name: str, data: bytes, kind: str, package: Package | None = None) -> list[Problem]:
    """Whether python-pptx or python-docx opens the package: what most tools that read it will do.

    The answer for the same bytes and library version is remembered (``verdicts.py``); so is the answer
    for the same package structure (``_reopen_structure``), given the ``package`` already parsed: a
    monthly pack or a batch's packs differ from the last in their slides' and document's XML, which the
    libraries only parse when they open a package, and their charts' workbooks, which they never read."""
    store = _reopen_verdicts(kind)
    key = hashlib.sha256(data).hexdigest()
    found = store.get(key)
    if found is None:
        structure = _reopen_structure(kind, package) if package is not None else None
        found = store.get(structure) if structure else None
        if found is None:
            found = tuple((message,) for message in _reopen(data, kind))
            if structure:
                store.put(structure, found)
        store.put(key, found)
    return [Problem(name, "package", message) for (message,) in found]


def _reopen_structure(kind: str, package: Package) -> str | None:
    """The digest of everything opening ``package`` with python-pptx or python-docx depends on; None
    where that cannot be told (the libraries' content types do not read).

    Opening (python-pptx 1.0, python-docx 1.2) reads the zip's member names and every member it
    reaches, [Content_Types].xml and the relationship parts, and makes each part by the class its
    content type is registered to: an XML part's class parses the part with the library's parser
    (resolve_entities=False, libxml2's default limits), every other class keeps the bytes unread.
    So a part of an XML class matters only by whether that parser reads it, which is whether it parsed
    here within the same limits (``Package.plain``; remove_blank_text only drops whitespace, never
    refuses a part); the bytes of a part of any other class (an image, a chart's workbook) not at all.
    Names, content types and relationships are taken whole; so is any part not known to be either."""
    try:
        opaque = _opaque_parts(kind, package.parts.get("[Content_Types].xml"))
    except Exception:  # content types the library cannot read: only the same bytes give the same answer
        return None
    digest = hashlib.sha256(f"reopen-structure|{kind}".encode())
    for part, blob in package.members:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        if part == "[Content_Types].xml" or part.endswith(".rels"):
            digest.update(b"whole:" + hashlib.sha256(blob).digest())
        elif opaque(part):
            digest.update(b"unread")
        elif part in package.plain:
            digest.update(b"parses")
        else:
            digest.update(b"whole:" + hashlib.sha256(blob).digest())
    return digest.hexdigest()


@lru_cache(maxsize=16)
def _opaque_parts(kind: str, content_types: bytes | None):
    """``part name -> True`` for the parts the library keeps unread when it opens the package: their
    content type (as the library reads it from ``content_types``) is registered to no XML part class.
    Made once per content types part (a batch's packs share theirs), each name answered once."""
    if content_types is None:
        return lambda part: False
    if kind == "pptx":
        from pptx.opc.package import PartFactory, XmlPart, _ContentTypeMap
        from pptx.opc.packuri import PackURI

        types = _ContentTypeMap.from_xml(content_types)
        extra: tuple[type, ...] = ()
    else:
        from docx.opc.packuri import PackURI
        from docx.opc.part import PartFactory, XmlPart
        from docx.opc.pkgreader import _ContentTypeMap
        from docx.parts.image import ImagePart

        selector = PartFactory.part_class_selector
        if (getattr(selector, "__module__", None), getattr(selector, "__qualname__", None)) != (
            "docx", "part_class_selector"
        ):
            return lambda part: False  # a selector of someone else's may choose any class
        types = _ContentTypeMap.from_xml(content_types)
        extra = (ImagePart,)  # python-docx's selector: an image relationship's target is an ImagePart

    answers: dict[str, bool] = {}

    def opaque(part: str) -> bool:
        found = answers.get(part)
        if found is None:
            try:
                classes = (PartFactory._part_cls_for(types[PackURI("/" + part)]), *extra)
                found = not any(issubclass(cls, XmlPart) for cls in classes)
            except Exception:  # no content type for it (the library fails on it if it reaches it): whole
                found = False
            if len(answers) < 10_000:  # bounded: a content types part names a package's few parts
                answers[part] = found
        return found

    return opaque


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
