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
- otherwise the validator runs, but each part whose markup was validated before (in any document, build
  or process) is not validated again: the schema phase per part by markup alone, the semantic phase per
  part where the part's name, relationships and the package's part names and content types agree too.
  Only what narrator wrote that is new is validated, and the parts whose rules read other parts;
- and within a part that is validated, each block (a body's paragraphs and tables, a slide's shapes, a
  table's rows) whose markup was found clean before in the same setting is skipped, in any document,
  build or process: next month's slide repeats most of this month's shapes.

Each phase's rules are made only when a part needs them: a paper never loads the PowerPoint rules.

The remembering validator subclasses openxml-audit's and replaces its per-part loops, so it is tied to
the version pinned in pyproject.toml. Verdicts are keyed by that version and the options below
(``verdicts.py`` keeps them). The test suite keeps openxml-audit run the plain way as the oracle: same
findings in the same order on the samples, the template corpus and mutated documents.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from narrator.check.verdicts import VerdictStore

if TYPE_CHECKING:
    from narrator.check.package import Package

# Bump when the keys, what they cover or the way findings are stored changes.
_SCHEME = "1"
# What every part is taken to be: the validator's defaults, which the plain validator uses too.
_OPTIONS = "office2019-strict-max1000"

# Markup: every tag, comment and processing instruction, with quoted attribute values whole (they may
# hold ">"). Character data between tags is what the validator never reads. Written as runs between
# quoted strings ("unrolled"), it matches exactly what <(?:[^>"']|"[^"]*"|'[^']*')*> matches, three
# times as fast: a new pack's half a megabyte of XML is read through it.
_MARKUP = re.compile(rb"<[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>")
# Parts some check reads as text, or whose markup alone could hide what the text means: kept whole.
_READ_WHOLE = re.compile(r"^(\[Content_Types\]\.xml|docProps/.*|customXml/.*|.*[Ss]tyles[^/]*\.xml)$")


def skeleton(blob: bytes) -> bytes:
    """A part's markup without its character data; the part whole where stripping could mislead.

    Text is only ever between tags in a well-formed UTF-8 or single-byte part. A part with a comment,
    CDATA or a DOCTYPE (whose entities can expand to markup) or in UTF-16/32 is kept whole."""
    if b"<!" in blob or b"\x00" in blob:
        return blob
    return b"".join(_MARKUP.findall(blob))


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


def read_markup(
    data: bytes, suffix: str, members: Sequence[tuple[str, bytes]] | None = None
) -> tuple[str, dict[str, str]]:
    """The digest of everything the validator's verdict on a package depends on (its file name's
    extension included: the validator compares it with the main content type), and each XML part's
    markup digest by part name ("/ppt/slides/slide1.xml"), which the part verdicts are keyed by.

    ``members`` are the package's zip entries (name, content) in zip order, duplicates included, when
    the caller has read them already; else they are read from ``data``."""
    if members is None:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:  # in zip order, duplicates included: the validator
            members = [(info.filename, zf.read(info)) for info in zf.infolist()]  # sees the zip itself
    digest = hashlib.sha256(f"{_SCHEME}|{_OPTIONS}|{suffix}".encode())
    markups: dict[str, str] = {}
    for name, blob in members:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        whole = hashlib.sha256(blob).digest()
        if name.endswith((".xml", ".rels")):
            markups["/" + name] = _markup_digest(blob, whole)
            digest.update(whole if _READ_WHOLE.match(name) else bytes.fromhex(markups["/" + name]))
        else:
            digest.update(whole)
    return digest.hexdigest(), markups


# Part content digest -> markup digest: a batch's packs share most parts byte for byte (their template's
# masters, layouts, theme and styles), whose markup need not be read out again. Emptied when full.
_MARKUPS: dict[bytes, str] = {}
_MAX_MARKUPS = 20_000


def _markup_digest(blob: bytes, whole: bytes) -> str:
    """The markup digest of a part whose content digest is ``whole``."""
    found = _MARKUPS.get(whole)
    if found is None:
        if len(_MARKUPS) >= _MAX_MARKUPS:
            _MARKUPS.clear()
        found = _MARKUPS[whole] = hashlib.sha256(skeleton(blob)).hexdigest()
    return found


def package_markup(data: bytes, suffix: str, package: Package | None = None) -> tuple[str, dict[str, str]]:
    """``read_markup`` of a package, worked out once for an opened ``package`` (the reopen check and the
    schema verdicts both key by it)."""
    if package is None:
        return read_markup(data, suffix)
    return package.derived(f"markup:{suffix}", lambda opened: read_markup(data, suffix, opened.members))


def validate_package(data: bytes, suffix: str, package: Package | None = None) -> list[tuple[str, str, str]]:
    """openxml-audit's findings on a package named ``*.<suffix>`` (pptx, potx, docx ...), as (error type,
    part, description), from memory when its markup was validated before. ``package``: ``data`` opened
    already (its zip is not read again). Raises ImportError when openxml-audit is not installed."""
    if validator_version() is None:
        raise ImportError("openxml-audit is not installed")
    # The same bytes again (a rebuild on unchanged inputs, `narrator check` on a built pack): no unzipping.
    exact, digest = _store("bytes"), hashlib.sha256(f"{_SCHEME}|{_OPTIONS}|{suffix}|".encode())
    digest.update(data)
    rows = exact.get(digest.hexdigest())
    if rows is None:
        rows = _markup_verdict(data, suffix, package)
        exact.put(digest.hexdigest(), rows)
    return [(row[0], row[2], row[3]) for row in rows]


def _markup_verdict(data: bytes, suffix: str, package: Package | None) -> tuple[tuple, ...]:
    store = _store("document")
    try:
        key, markups = package_markup(data, suffix, package)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        key, markups = None, {}  # the validator reports a damaged zip itself
    rows = store.get(key) if key else None
    if rows is None:
        rows = tuple(_to_row(error) for error in _validate(data, suffix, markups, package))
        if key:
            store.put(key, rows)
    return rows


def _validate(data: bytes, suffix: str, markups: dict[str, str], package: Package | None = None) -> list:
    validator = _remembering_validator()(markups)
    if package is not None and package.members:
        # The package as the gate opened it: its zip entries and parsed parts, not a file to unzip again.
        return validator.validate_opened(Path(f"document.{suffix}"), package)
    with tempfile.TemporaryDirectory(prefix="narrator-check-") as folder:
        path = Path(folder) / f"document.{suffix}"
        path.write_bytes(data)
        return list(validator.validate(path).errors)


@lru_cache(maxsize=1)
def _remembering_validator():
    """The validator class, made on first need so that a remembered document never imports openxml-audit."""
    from openxml_audit import OpenXmlValidator
    from openxml_audit.context import ValidationContext
    from openxml_audit.errors import PackageValidationError, ValidationError, ValidationErrorType, ValidationSeverity
    from openxml_audit.package import OpenXmlPackage
    from openxml_audit.parts import OpenXmlPart, PresentationPart, SlidePart
    from openxml_audit.relationships import Relationship, RelationshipCollection, get_rels_path
    from openxml_audit.schema.validator import SchemaValidator
    from openxml_audit.semantic.validator import create_pptx_semantic_validator, create_word_semantic_validator

    # Made once a process: loading the schemas and the SDK's semantic rules is most of the cold second.
    class BlockSchemaValidator(SchemaValidator):
        """openxml-audit's schema validator, skipping blocks (a body's paragraphs and tables, a slide's
        shapes) whose markup it validated cleanly before under the same parent, grandparent, ignorable
        namespaces and namespaces in scope: everything an element's schema verdict reads. Clean verdicts
        are remembered in memory and on disk: next month's pack repeats most of this month's blocks."""

        def __init__(self):
            super().__init__()
            self._clean = _store("schema-block")  # block key -> () when the block was clean
            self.blocks: dict | None = None  # the document's block markup digests (see block_markup)

        def _validate_element(self, element, context, ignorable_ns=frozenset()):
            parent = element.getparent()
            if parent is None or parent.tag not in _BLOCK_PARENTS or context.should_stop:
                return super()._validate_element(element, context, ignorable_ns)
            grandparent = parent.getparent()
            names = _namespaces_in_scope(parent, self.blocks)
            setting = f"{parent.tag}|{None if grandparent is None else grandparent.tag}|{sorted(ignorable_ns)}|{names}"
            key = hashlib.sha256(setting.encode() + block_markup(element, self.blocks)).hexdigest()
            if self._clean.get(key) is not None:
                return None
            found = len(context.errors)
            super()._validate_element(element, context, ignorable_ns)
            if len(context.errors) == found:
                self._clean.put(key, ())
            return None

    schema_validator = lru_cache(maxsize=1)(BlockSchemaValidator)
    semantic_validators = {
        "pptx": lru_cache(maxsize=1)(lambda: _SharedRules("pptx", create_pptx_semantic_validator())),
        "word": lru_cache(maxsize=1)(lambda: _SharedRules("word", create_word_semantic_validator())),
    }
    schema_parts, semantic_parts = _store("part"), _store("semantic-part")

    class RememberingValidator(OpenXmlValidator):
        """openxml-audit with its schema and semantic phases answered part by part from remembered verdicts.

        The schema phase reads one part at a time (element names, attributes and children, nothing else
        in the package), so its verdict on a part is reused wherever the same markup appears. A part's
        semantic verdict also depends on its name, its relationships, the package's part names and
        content types, and for a few elements (footnote references, ...) on other parts: it is reused
        only in a package that agrees on all of these, and never for a part holding such an element."""

        def __init__(self, markups: dict[str, str]):
            super().__init__(schema_validation=False, semantic_validation=False)
            self._schema_validation = self._semantic_validation = True
            self._markups = markups  # part name -> markup digest, as read for the document's key

        def _start(self):
            # The base class runs the schema phase only when it has a schema validator: a stand-in until a
            # part's markup is new and the real one (shared by the process) is needed.
            self._schema_validator = _DEFERRED
            # The base class runs a semantic phase only when it has that kind's rules: here their kind's
            # name, and the rules themselves (shared by the process) only once a part's verdict is new, so
            # that a deck never loads the Word rules, nor a paper the PowerPoint ones.
            self._semantic_validator_pptx, self._semantic_validator_word = "pptx", "word"
            self._rules = {}
            self._package_digest = None
            # Block markup digests, worked out once for both phases; they hold this document's elements.
            self._blocks = {}

        def validate_with_timings(self, path, include_schema_breakdown=False):
            self._start()
            try:
                return super().validate_with_timings(path, include_schema_breakdown=False)
            finally:
                self._blocks = {}

        def validate_opened(self, path, opened: Package) -> list:
            """The findings ``validate(path)`` gives on a file holding ``opened``, without the file: the
            base class's phases in its order (openxml-audit 0.8's validate_with_timings, less its timings),
            each stopping the run once the error limit is reached, on the package in memory."""
            from openxml_audit.validator import DocumentKind

            self._start()
            errors: list = []
            try:
                with _OpenedPackage(path, opened) as package:
                    errors.extend(self._validate_package_structure(package))
                    if self._should_stop(errors):
                        return errors
                    profile = self._profiles.get(
                        self._detect_document_type(package), self._profiles[DocumentKind.UNKNOWN]
                    )
                    for validator in profile.structure_validators:
                        errors.extend(validator(package))
                        if self._should_stop(errors):
                            return errors
                    for phase in (self._validate_relationships, self._validate_binary_parts, self._validate_schema):
                        errors.extend(phase(package))
                        if self._should_stop(errors):
                            return errors
                    if profile.semantic_validator is not None:
                        errors.extend(profile.semantic_validator(package))
                    if self._should_stop(errors):
                        return errors
                    errors.extend(self._validate_properties(package))
                    if self._should_stop(errors):
                        return errors
                    if profile.specific_validator is not None:
                        errors.extend(profile.specific_validator(package))
            except PackageValidationError as exc:
                errors.extend(exc.errors)
            finally:
                self._blocks = {}
            return errors

        # -- schema phase

        def _validate_schema(self, package, collect_hot_path_metrics=False):
            errors = _Collected(self._max_errors)
            for part_uri in package.list_parts():
                content_type = package.content_types.get_content_type(part_uri)
                if content_type and "xml" in content_type and not errors.full:
                    errors.extend(self._part_schema_errors(package, part_uri))
            return errors.items

        def _part_schema_errors(self, package, part_uri):
            part = OpenXmlPart(package, part_uri)
            blob = package.get_part_content(part_uri)
            if blob is None or part.xml is None:
                return []  # not XML after all (an embedded workbook): the plain validator skips it too
            key = self._markup(package, part_uri)
            rows = schema_parts.get(key)
            if rows is None:
                # Stored without the part's name: the same markup may be another document's slide9.
                rows = tuple(_with_part(_to_row(error), None) for error in self._schema_errors(package, part))
                schema_parts.put(key, rows)
            return [_from_row(_with_part(row, part_uri)) for row in rows]

        def _schema_errors(self, package, part):
            context = self._context(package)
            validator = schema_validator()
            validator.blocks = self._blocks
            try:
                validator.validate_part(part, context)
            finally:
                validator.blocks = None
            return list(context.errors)

        # -- semantic phase: the plain validator's two loops over parts, each part answered from memory

        def _validate_semantic(self, package):
            context = self._context(package)
            main = package.get_main_document_uri()
            if not main:
                return context.errors
            rules = self._semantic_validator_pptx  # the kind: the rules are made on a part's first miss
            presentation = PresentationPart(package, main)
            collected = _Collected(self._max_errors, context.errors)
            collected.extend(self._part_semantic_errors(package, rules, presentation))
            for _slide_id, rel_id in presentation.slide_ids:
                target = presentation.relationships.resolve_target(rel_id)
                if target and package.has_part(target) and not collected.full:
                    collected.extend(self._part_semantic_errors(package, rules, SlidePart(package, target)))
            return context.errors

        def _validate_semantic_all_parts(self, package, validator, context):
            collected = _Collected(self._max_errors, context.errors)
            for part_uri in package.list_parts():
                content_type = package.content_types.get_content_type(part_uri)
                if content_type and "xml" in content_type and not collected.full:
                    part = OpenXmlPart(package, part_uri)
                    collected.extend(self._part_semantic_errors(package, validator, part))
            return context.errors

        def _part_semantic_errors(self, package, kind, part):
            # Looked up before the rules are needed: only parts that no cross-part rule applies to are ever
            # stored, and whether one applies follows from the element names, hence from the markup.
            key = self._semantic_key(package, kind, part)
            rows = semantic_parts.get(key) if key else None
            if rows is None:
                rules = self._rules_for(kind)
                if key and part.xml is not None and rules.reads_other_parts(part.xml, self._markup(package, part.uri)):
                    key = None
                context = self._context(package)
                rules.validate_part(part, context, self._setting(package, kind, part), self._blocks)
                rows = tuple(_to_row(error) for error in context.errors)
                if key:
                    semantic_parts.put(key, rows)
            return [_from_row(row) for row in rows]

        def _rules_for(self, kind):
            """The process's semantic rules of a kind, made on first need, emptied of the last document's
            cross-part reads once a document."""
            rules = self._rules.get(kind)
            if rules is None:
                rules = self._rules[kind] = semantic_validators[kind]().fresh()
            return rules

        def _semantic_key(self, package, kind, part):
            if package.get_part_content(part.uri) is None:
                return None
            # A part that does not parse has the markup of one that does when only its text is broken:
            # their verdicts are kept apart.
            parsed = "" if part.xml is not None else "|unparsed"
            setting = self._setting(package, kind, part)
            return hashlib.sha256(f"{setting}|{self._markup(package, part.uri)}{parsed}".encode()).hexdigest()

        def _setting(self, package, kind, part):
            """What a part's semantic verdict depends on besides its own markup."""
            if self._package_digest is None:
                # The part names (relationship targets must exist) and content types, once a document.
                digest = hashlib.sha256("\0".join(sorted(package.list_parts())).encode())
                digest.update(package.get_part_content("/[Content_Types].xml") or b"")
                self._package_digest = digest.hexdigest()
            folder, name = posixpath.split(part.uri)
            rels = posixpath.join(folder, "_rels", f"{name}.rels")  # get_rels_path without its pathlib round trips
            relationships = self._markup(package, rels) if package.has_part(rels) else ""
            return f"semantic-{kind}|{self._package_digest}|{part.uri}|{relationships}"

        def _markup(self, package, part_uri):
            found = self._markups.get(part_uri)
            if found is None:
                found = self._markups[part_uri] = hashlib.sha256(
                    skeleton(package.get_part_content(part_uri) or b"")
                ).hexdigest()
            return found

        def _context(self, package):
            return ValidationContext(
                package=package, file_format=self._file_format, max_errors=self._max_errors, strict=self._strict
            )

    class _OpenedPackage(OpenXmlPackage):
        """openxml-audit's package over a package the gate has opened: the zip entries it read, and the
        parts it parsed where openxml-audit's own parse would make the same tree.

        That parse is lxml's default parser; the gate's parses a part within the same limits first, with
        entities left unresolved, which makes the same tree for any part without a DOCTYPE (no entity
        can be declared) that parsed within the limits (``Package.plain``). Any other part is parsed
        the validator's way. A tree is handed out once a package: openxml-audit parses each part name
        it asks for separately, and the gate's trees are shared by parts of the same bytes."""

        def __init__(self, path, opened: Package):
            super().__init__(path)
            self._opened = opened
            self._handed: set[int] = set()

        def open(self) -> None:
            if self._zip is None:
                self._zip = _Entries(self._opened.members)

        def _load_relationships(self, source_uri: str):
            # The base class's (openxml-audit 0.8), with the relationships parsed from the same bytes for
            # the same source shared by the packages of a process: a batch's packs relate the same parts.
            rels_path = _rels_path(source_uri)
            content = self.get_part_content(rels_path.lstrip("/"))
            if content is None:
                if source_uri == "/":
                    self._errors.append(
                        ValidationError(
                            error_type=ValidationErrorType.PACKAGE,
                            description="Missing _rels/.rels",
                            severity=ValidationSeverity.ERROR,
                        )
                    )
                return RelationshipCollection(source_uri)
            rels = _shared_relationships(content, source_uri)
            if rels.parse_error and rels_path not in self._reported_relationship_parse_errors:
                self._reported_relationship_parse_errors.add(rels_path)
                self._errors.append(
                    ValidationError(
                        error_type=ValidationErrorType.RELATIONSHIP,
                        description=f"Malformed relationships XML: {rels.parse_error}",
                        part_uri=rels_path,
                        severity=ValidationSeverity.ERROR,
                    )
                )
            return rels

        def get_part_xml(self, part_path: str):
            if part_path not in self._xml_cache:
                name = part_path.lstrip("/")
                tree = self._opened.trees.get(name)
                if (
                    tree is not None
                    and name in self._opened.plain
                    and id(tree) not in self._handed
                    and b"<!DOCTYPE" not in self._opened.parts[name]
                ):
                    self._handed.add(id(tree))
                    self._xml_cache[part_path] = tree
            return super().get_part_xml(part_path)

    # The library's own functions, remembered: a batch's packs name and relate the same parts, and
    # each answer took a few pathlib objects to work out. No caller changes what they return.
    _rels_path = lru_cache(maxsize=4096)(get_rels_path)
    resolved = lru_cache(maxsize=8192)(
        lambda target, mode, source: Relationship("", "", target, mode).resolve_target(source)
    )

    @lru_cache(maxsize=2048)
    def _shared_relationships(content: bytes, source_uri: str):
        collection = RelationshipCollection.from_xml(content, source_uri)
        for rel in collection:
            # resolve_target reads only the target and its mode: each answer worked out once a process.
            rel.resolve_target = functools.partial(resolved, rel.target, rel.target_mode)
        return collection

    return RememberingValidator


class _Entries:
    """A zip's entries as openxml-audit's package reads them from ZipFile: names in zip order with any
    duplicates, and ``read(name)`` giving a name's last entry, KeyError for a name it does not hold."""

    def __init__(self, members: Sequence[tuple[str, bytes]]):
        self._names = [name for name, _ in members]
        self._contents = dict(members)

    def namelist(self) -> list[str]:
        return list(self._names)

    def read(self, name: str) -> bytes:
        return self._contents[name]

    def close(self) -> None:
        pass


_DEFERRED = object()

# Elements whose children are validated as blocks, each remembered on its own: a body's paragraphs and
# tables, a table's rows (Word's and a slide's), a slide's shapes. A new pack mostly repeats last month's
# blocks: a slide table whose column widths follow its figures keeps its rows' markup.
_BLOCK_PARENTS = frozenset(
    {
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body",
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl",
        "{http://schemas.openxmlformats.org/presentationml/2006/main}spTree",
        "{http://schemas.openxmlformats.org/drawingml/2006/main}tbl",
    }
)


class _Collected:
    """Findings gathered the way the plain validator's one context gathers them: in order, none after
    the error limit is reached (warnings count towards nothing)."""

    def __init__(self, limit: int, items: list | None = None):
        self.items = [] if items is None else items
        self.limit = limit
        self.counted = sum(1 for e in self.items if e.severity.value == "error")

    @property
    def full(self) -> bool:
        return bool(self.limit) and self.counted >= self.limit

    def extend(self, errors) -> None:
        for error in errors:
            if self.full:
                return
            self.items.append(error)
            self.counted += error.severity.value == "error"


class _SharedRules:
    """One openxml-audit semantic validator (its SDK rules take half a second to load) shared by every
    document a process checks, walking a part the way the validator does but skipping blocks (a body's
    paragraphs and tables, a slide's shapes) whose markup it walked cleanly before in the same setting.

    A block is skipped only when every rule on its elements reads nothing but the element's attributes
    and the part's relationships (no uniqueness across the part, no reference to other parts), it found
    nothing before, and the part's name, relationships and the package's part names and content types
    are the same; clean verdicts are kept in memory and on disk, for later documents and processes.

    The cross-part rules cache what they read from other parts under ``id(package)``; an id is reused once
    a package is freed, so those caches are emptied before each document."""

    _LOCAL = {  # rules that read only the element's own attributes, or the part's relationships
        "AttributeMinMaxConstraint", "AttributeValueLengthConstraint", "AttributeEqualsConstraint",
        "AttributeValuePatternConstraint", "AttributeNotEqualConstraint", "AttributesPresentConstraint",
        "AttributeComparisonConstraint", "AttributeValueInSetConstraint", "AttributeValueRangeConstraint",
        "AttributeValueSetConstraint", "AttributeMutualExclusive", "AttributeRequiredConditionToValue",
        "AttributeValueLessEqualToAnother", "RelationshipExistConstraint", "RelationshipTypeConstraint",
    }  # fmt: skip

    def __init__(self, kind: str, validator):
        self.name, self.validator = f"semantic-{kind}", validator
        # One walk over the rules (a repr of each tag's rules to find the cross-part ones cost as much
        # again): their caches, and the tags with a rule of a cross-part class (openxml-audit's names).
        self._caches, cross = [], []
        for tag, constraints in validator._constraints.items():
            classes: set[str] = set()
            _rule_facts(constraints, self._caches, classes)
            if any("CrossPart" in name for name in classes):
                cross.append(tag)
        self._cross_tags = tuple(cross)
        self._nonlocal_tags = tuple(
            tag for tag, constraints in validator._constraints.items() if not all(map(self._is_local, constraints))
        )
        self._clean = _store("semantic-block")  # block key -> () when the block was clean
        self._cross_parts: dict[str, bool] = {}  # markup digest -> reads_other_parts

    def _is_local(self, constraint) -> bool:
        inner = getattr(constraint, "constraints", None)
        if type(constraint).__name__ in ("OrConstraint", "AndConstraint") and isinstance(inner, list):
            return all(map(self._is_local, inner))
        if type(constraint).__name__ == "ConditionalConstraint":
            return self._is_local(constraint.constraint)
        return type(constraint).__name__ in self._LOCAL

    def fresh(self) -> _SharedRules:
        for cache in self._caches:
            cache.clear()
        self.validator._id_tracker.clear()
        return self

    def reads_other_parts(self, tree, markup: str | None = None) -> bool:
        """Whether a cross-part rule applies to an element of the part. Its element names follow from its
        markup, so the answer is remembered by the markup digest when one is given."""
        found = self._cross_parts.get(markup) if markup else None
        if found is None:
            found = next(tree.iter(*self._cross_tags), None) is not None if self._cross_tags else False
            if markup:
                if len(self._cross_parts) >= _MAX_MARKUPS:
                    self._cross_parts.clear()
                self._cross_parts[markup] = found
        return found

    def validate_part(self, part, context, setting: str | None = None, blocks: dict | None = None):
        """The validator's ``validate_part``; with ``setting`` (what a block's verdict depends on besides its
        markup), blocks walked cleanly before in the same setting are skipped. ``blocks``: the document's
        block markup digests (see ``block_markup``)."""
        from openxml_audit.errors import FileFormat
        from openxml_audit.semantic.references import validate_unique_ids
        from openxml_audit.semantic.relationships import validate_part_relationships

        validator = self.validator
        if setting is None or context.file_format == FileFormat.OFFICE_2010:
            return validator.validate_part(part, context)  # (Office 2010 resolves markup compatibility first)
        context.set_part(part)
        validate_part_relationships(part, context)
        tree = part.xml
        if tree is None:
            return context.errors
        validator._id_tracker.clear(part.uri)
        if validator._validate_unique_ids:
            validate_unique_ids(tree, "id", context, validator._id_tracker, part.uri)
        self._walk(tree, context, setting, self._reaching(tree), blocks)
        return context.errors

    def _reaching(self, tree) -> set | None:
        """The elements of a part that are, or hold, an element a non-local rule checks (their blocks are
        walked every time); None for all of them. One pass over the part: matching the tags once per
        block cost more than the rest of the walk."""
        if not self._nonlocal_tags:
            return None
        reaching: set = set()
        for element in tree.iter(*self._nonlocal_tags):
            while element is not None and element not in reaching:
                reaching.add(element)
                element = element.getparent()
        return reaching

    def _walk(self, element, context, setting: str, reaching: set | None, blocks: dict | None) -> None:
        from openxml_audit.context import ElementContext

        if context.should_stop:
            return
        validator = self.validator
        with ElementContext(context, element):
            validator._validate_relationship_attributes(element, context)
            validator._validate_mc_ignorable(element, context)
            for constraint in validator._constraints.get(element.tag, ()):
                constraint.validate(element, context)
            if element.tag in _BLOCK_PARENTS:
                # The namespaces in scope (a block's own declarations are in its markup) and the parent.
                names = sorted(element.nsmap.items(), key=str)
                block_setting = f"{setting}|{element.tag}|" + "".join(f"{prefix}={uri};" for prefix, uri in names)
            else:
                block_setting = None
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                key = self._block_key(child, block_setting, reaching, blocks) if block_setting else None
                if key is not None and self._clean.get(key) is not None:
                    continue
                found = len(context.errors)
                self._walk(child, context, setting, reaching, blocks)
                if key is not None and len(context.errors) == found:
                    self._clean.put(key, ())

    def _block_key(self, block, setting: str, reaching: set | None, blocks: dict | None) -> str | None:
        if reaching is None or block in reaching:
            return None  # a rule here reads beyond the block: walk it every time
        return hashlib.sha256(setting.encode() + b"|" + block_markup(block, blocks)).hexdigest()


def block_markup(block: etree._Element, blocks: dict | None = None) -> bytes:
    """The digest of a block's markup, which both validation phases key its clean verdict by; ``blocks``
    (one document's, keyed by element) remembers it between the phases."""
    found = blocks.get(block) if blocks is not None else None
    if found is None:
        found = hashlib.sha256(skeleton(etree.tostring(block))).digest()
        if blocks is not None:
            blocks[block] = found
    return found


def _namespaces_in_scope(parent: etree._Element, blocks: dict | None) -> str:
    """A block parent's namespaces in scope as the schema phase's key spells them, once a parent."""
    key = ("namespaces", parent)
    found = blocks.get(key) if blocks is not None else None
    if found is None:
        found = "".join(f"{prefix}={uri};" for prefix, uri in sorted(parent.nsmap.items(), key=str))
        if blocks is not None:
            blocks[key] = found
    return found


def _rule_facts(value, caches: list[dict], classes: set[str], depth: int = 0) -> None:
    """Add the dict caches held by a constraint and the constraints inside it (Or, And, Conditional) to
    ``caches``, and the class names of them all to ``classes``."""
    if depth > 8:
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _rule_facts(item, caches, classes, depth + 1)
        return
    fields = None if isinstance(value, type) else _public_fields(type(value))
    if fields is None:
        return
    classes.add(type(value).__name__)
    for name in ("_value_cache", "_count_cache"):
        cache = getattr(value, name, None)
        if isinstance(cache, dict):
            caches.append(cache)
    for name in fields:
        _rule_facts(getattr(value, name), caches, classes, depth + 1)


@lru_cache(maxsize=1024)  # one entry per constraint class
def _public_fields(cls: type) -> tuple[str, ...] | None:
    """A dataclass's public field names, None for any other class: read once a class, not once a rule."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(field.name for field in dataclasses.fields(cls) if not field.name.startswith("_"))
