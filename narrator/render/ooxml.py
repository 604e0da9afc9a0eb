"""Package-level OOXML helpers: open a reference file safely, write clean docProps, zip deterministically."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from narrator.errors import OfficeTemplateError
from narrator.limits import OFFICE, check_zip, read_bytes
from narrator.tell.story import DocumentProperties

_MAIN = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
# Template, show and macro-enabled flavours share the document's structure; python-pptx and
# python-docx refuse their content types, so the reference is opened as the plain document type.
_ALIASES = {
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
        "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
        "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
    ),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    ),
}
_APP_NAME = {"pptx": "PowerPoint", "docx": "Word"}
_SAVE_AS = {"pptx": ".pptx or .potx", "docx": ".docx or .dotx"}


# Normalised reference packages by (path, kind) -> (mtime_ns, size, bytes): a batch opens the same
# template for every pack, and checking and rewriting it is a fair share of a small pack's time.
_REFERENCES: dict[tuple[str, str], tuple[int, int, bytes]] = {}


def open_reference(path: Path, kind: str) -> io.BytesIO:
    """The reference file as a stream python-pptx/python-docx accept, or OfficeTemplateError in one line.

    The normalised package is kept per process while the file's modification time and size stay the same.
    """
    try:
        stat = path.stat()
    except OSError:
        stat = None
    key = (str(path.resolve()) if stat else str(path), kind)
    cached = _REFERENCES.get(key)
    if stat is not None and cached is not None and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return io.BytesIO(cached[2])
    stream = _normalised_reference(path, kind)
    if stat is not None:
        if len(_REFERENCES) >= 16:
            _REFERENCES.clear()
        _REFERENCES[key] = (stat.st_mtime_ns, stat.st_size, stream.getvalue())
    return stream


def _normalised_reference(path: Path, kind: str) -> io.BytesIO:
    app, save_as = _APP_NAME[kind], _SAVE_AS[kind]
    fix = f"re-save it from {app} as {save_as}, or remove the template setting to use the built-in default"
    if not path.exists():
        raise OfficeTemplateError(f"{path}: reference template not found; check the path in the report config")
    data = read_bytes(path, str(path), OFFICE, OfficeTemplateError)
    check_zip(data, str(path), OfficeTemplateError)
    if data[:4] == b"\xd0\xcf\x11\xe0":
        # An OLE compound file: a password-protected (encrypted) Office file, or a pre-2007 .ppt/.doc.
        raise OfficeTemplateError(
            f"{path}: is password-protected or in the old binary format (.ppt/.doc); remove the password "
            f"and re-save it from {app} as {save_as}"
        )
    if data[:2] == b"PK" and not zipfile.is_zipfile(io.BytesIO(data)):
        raise OfficeTemplateError(f"{path}: the file is damaged or truncated (incomplete zip package); {fix}")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise OfficeTemplateError(f"{path}: not an Office file (not a zip package); {fix}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            entries = {info.filename: zf.read(info) for info in zf.infolist()}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise OfficeTemplateError(f"{path}: the file is damaged ({exc}); {fix}") from exc
    types = entries.get("[Content_Types].xml", b"").decode("utf-8", "replace")
    if "[Content_Types].xml" not in entries:
        raise OfficeTemplateError(f"{path}: not an Office Open XML file (no content types); {fix}")
    found = [k for k, main in _MAIN.items() if main in types or any(a in types for a in _ALIASES[k])]
    if kind not in found:
        what = f"a {_APP_NAME[found[0]]} file" if found else "not a PowerPoint or Word file"
        raise OfficeTemplateError(f"{path}: is {what}, but a {app} template is needed here; give a {save_as} file")
    for alias in _ALIASES[kind]:
        types = types.replace(alias, _MAIN[kind])
    entries["[Content_Types].xml"] = types.encode("utf-8")
    # Stored, not deflated: only python-pptx/python-docx read this copy, and they read it fastest so.
    return io.BytesIO(zip_entries(entries, datetime(1980, 1, 1), compress=False))


def fixed_time(props: DocumentProperties) -> datetime:
    """The one timestamp a build uses everywhere, taken from the inputs so rebuilds are byte-identical."""
    stamp = datetime.fromisoformat(props.created)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return max(stamp, datetime(1980, 1, 1))


def _w3c(stamp: datetime) -> str:
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def core_xml(props: DocumentProperties, *, title: str | None = None) -> bytes:
    when = _w3c(fixed_time(props))
    fields = [
        f"<dc:title>{escape(title if title is not None else props.title)}</dc:title>",
        f"<dc:subject>{escape(props.subject)}</dc:subject>",
        f"<dc:creator>{escape(props.author)}</dc:creator>",
        f"<cp:keywords>{escape(props.keywords)}</cp:keywords>",
        f"<cp:lastModifiedBy>{escape(props.author)}</cp:lastModifiedBy>",
        "<cp:revision>1</cp:revision>",
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>',
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>',
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        + "".join(fields)
        + "</cp:coreProperties>"
    ).encode("utf-8")


def app_xml(company: str, counts: dict[str, int]) -> bytes:
    extra = "".join(f"<{name}>{value}</{name}>" for name, value in counts.items())
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>narrator</Application><DocSecurity>0</DocSecurity>{extra}"
        f"<Company>{escape(company)}</Company><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode()


_CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
_CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_RT_THUMB = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_RT_APP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"


def finalise(blob: bytes, props: DocumentProperties, counts: dict[str, int]) -> bytes:
    """Replace docProps with clean ones from ``props`` and rewrite the zip byte-reproducibly."""
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        entries = {info.filename: zf.read(info) for info in zf.infolist()}
    return finalise_entries(entries, props, counts)


def package_entries(package) -> dict[str, bytes]:
    """A python-pptx or python-docx package's members by zip name, as its own save would write them.

    Saving to a zip only for ``finalise`` to read it back costs a deflate and an inflate of every part.
    The relationship parts are written by ``rels_xml`` and the content types by ``content_types_xml``:
    the libraries parse a fragment per relationship and make an element per part through their classes.
    """
    collected: dict[str, bytes] = {}
    if type(package).__module__.startswith("docx."):
        from docx.opc.pkgwriter import _ContentTypesItem as DocxContentTypes

        parts = package.parts
        for part in parts:
            part.before_marshal()
        parts = package.parts
        kinds = DocxContentTypes.from_parts(parts)  # python-docx's mapping, written by content_types_xml
        collected["[Content_Types].xml"] = content_types_xml(
            [(ext, kinds._defaults[ext]) for ext in sorted(kinds._defaults.keys())],
            [(name, kinds._overrides[name]) for name in sorted(kinds._overrides.keys())],
        )
        collected["_rels/.rels"] = _docx_rels(package.rels)
        for part in parts:  # python-docx's _write_parts
            collected[part.partname.membername] = part.blob
            if len(part.rels):
                collected[part.partname.rels_uri.membername] = _docx_rels(part.rels)
    else:
        from pptx.opc.serialized import _ContentTypesItem as PptxContentTypes

        parts = tuple(package.iter_parts())
        defaults, overrides = PptxContentTypes(parts)._defaults_and_overrides  # python-pptx's mapping
        collected["[Content_Types].xml"] = content_types_xml(sorted(defaults.items()), sorted(overrides.items()))
        collected["_rels/.rels"] = _pptx_rels(package._rels)
        for part in parts:  # python-pptx's _write_parts
            collected[part.partname.membername] = part.blob
            if part._rels:
                collected[part.partname.rels_uri.membername] = _pptx_rels(part._rels)
    return collected


_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def content_types_xml(defaults, overrides) -> bytes:
    """[Content_Types].xml from (extension, type) and (part name, type) pairs, in the order given: the
    bytes python-pptx and python-docx write (each adds a Default or Override element per pair, with these
    attributes in this order, to a Types element, and serialises the tree the same way), without making
    each element through their element classes."""
    root = etree.Element(f"{{{_TYPES}}}Types", nsmap={None: _TYPES})
    for ext, content_type in defaults:
        etree.SubElement(root, f"{{{_TYPES}}}Default", {"Extension": ext, "ContentType": content_type})
    for name, content_type in overrides:
        etree.SubElement(root, f"{{{_TYPES}}}Override", {"PartName": name, "ContentType": content_type})
    return etree.tostring(root, encoding="UTF-8", standalone=True)


_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = f"{{{_RELS}}}Relationship"


def rels_xml(rels) -> bytes:
    """A .rels part from (id, type, target, external) tuples, in the order given: the bytes python-pptx
    and python-docx write (each sets the same attributes on a Relationship element and serialises the
    tree the same way), without a parse per relationship."""
    key = tuple(rels)
    written = _RELS_WRITTEN.get(key)
    if written is not None:
        return written
    root = etree.Element(f"{{{_RELS}}}Relationships", nsmap={None: _RELS})
    for rid, reltype, target, external in key:
        attributes = {"Id": rid, "Type": reltype, "Target": target}
        if external:
            attributes["TargetMode"] = "External"
        etree.SubElement(root, _REL, attributes)
    written = etree.tostring(root, encoding="UTF-8", standalone=True)
    if len(_RELS_WRITTEN) >= _RELS_WRITTEN_ITEMS:
        _RELS_WRITTEN.clear()
    _RELS_WRITTEN[key] = written
    return written


# Written .rels parts by their relationships: a template's masters and layouts, and the slides of packs
# of the same shape, relate the same parts in every pack of a batch.
_RELS_WRITTEN: dict[tuple, bytes] = {}
_RELS_WRITTEN_ITEMS = 512


def _pptx_rels(rels) -> bytes:
    """python-pptx's ``rels.xml``: relationships in the numerical order of their ids."""

    def order(rid: str) -> tuple[int, str]:
        return (int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0, rid)

    found = [rels[rid] for rid in sorted(rels.keys(), key=order)]
    return rels_xml((r.rId, r.reltype, _pptx_target_ref(r), r.is_external) for r in found)


def _pptx_target_ref(rel) -> str:
    """python-pptx's ``rel.target_ref``: the URL of an external target, else the target part's name
    relative to the source's folder (the same relative names recur in every pack)."""
    if rel.is_external:
        return rel.target_ref
    return _relative_ref(str(rel.target_partname), rel._base_uri)


@lru_cache(maxsize=1024)
def _relative_ref(partname: str, base_uri: str) -> str:
    """``PackURI(partname).relative_ref(base_uri)``, as python-pptx computes it."""
    return partname[1:] if base_uri == "/" else posixpath.relpath(partname, base_uri)


def _docx_rels(rels) -> bytes:
    """python-docx's ``rels.xml``: relationships in the order they were added."""
    return rels_xml((r.rId, r.reltype, r.target_ref, r.is_external) for r in rels.values())


def finalise_entries(entries: dict[str, bytes], props: DocumentProperties, counts: dict[str, int]) -> bytes:
    """``finalise`` for a package already in memory as zip members (``package_entries``)."""
    entries = dict(entries)
    # python-pptx/python-docx may name the parts differently; find them through the package rels.
    rels = entries["_rels/.rels"].decode("utf-8")
    core = _target(rels, _RT_CORE) or "docProps/core.xml"
    app = _target(rels, _RT_APP) or "docProps/app.xml"
    # A template's thumbnail shows its own first slide, not this document's: drop it.
    thumb = _target(rels, _RT_THUMB)
    if thumb:
        entries.pop(thumb, None)
        rels = re.sub(r'<Relationship\b[^>]*Type="' + re.escape(_RT_THUMB) + r'"[^>]*/>', "", rels)
    entries[core] = core_xml(props)
    entries[app] = app_xml(props.company, counts)
    entries["_rels/.rels"] = _ensure_rel(_ensure_rel(rels, _RT_CORE, core), _RT_APP, app).encode("utf-8")
    types = entries["[Content_Types].xml"].decode("utf-8")
    types = _ensure_override(_ensure_override(types, "/" + core, _CT_CORE), "/" + app, _CT_APP)
    entries["[Content_Types].xml"] = types.encode("utf-8")
    stamp = fixed_time(props)
    for name, data in entries.items():
        if name.endswith(".xlsx"):
            entries[name] = _normalise_workbook(data, props, stamp)
    return zip_entries(entries, stamp)


def _target(rels: str, rel_type: str) -> str | None:
    for match in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = match.group(0)
        if f'Type="{rel_type}"' in tag:
            target = re.search(r'Target="([^"]+)"', tag)
            return target.group(1).lstrip("/") if target else None
    return None


def _ensure_rel(rels: str, rel_type: str, target: str) -> str:
    if f'Type="{rel_type}"' in rels:
        return rels
    used = set(re.findall(r'Id="([^"]+)"', rels))
    rid = next(f"rId{n}" for n in range(1, 1000) if f"rId{n}" not in used)
    return rels.replace(
        "</Relationships>", f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/></Relationships>'
    )


def _ensure_override(types: str, part: str, content_type: str) -> str:
    if f'PartName="{part}"' in types:
        return types
    return types.replace("</Types>", f'<Override PartName="{part}" ContentType="{content_type}"/></Types>')


def _normalise_workbook(data: bytes, props: DocumentProperties, stamp: datetime) -> bytes:
    """Embedded chart workbooks carry the time they were written; pin it like the outer package."""
    core = core_xml(props, title="")
    return _normalised_workbook(data, core, stamp)


@lru_cache(maxsize=64)
def _normalised_workbook(data: bytes, core: bytes, stamp: datetime) -> bytes:
    # Cached: the deck and the paper embed the same workbook for each chart (charts.base_chart).
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        entries = {info.filename: zf.read(info) for info in zf.infolist()}
    if "docProps/core.xml" in entries:
        entries["docProps/core.xml"] = core
    return zip_entries(entries, stamp)


# Deflated members by content: a template's styles, theme, masters and layouts are the same in every pack
# built on it, and deflating them again is most of the cost of writing a small pack.
_DEFLATED: dict[bytes, tuple[int, bytes]] = {}
_DEFLATE_CACHE_MIN, _DEFLATE_CACHE_ITEMS = 2048, 512


def _deflate(data: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream) exactly as zipfile writes a ZIP_DEFLATED member at the default level."""
    cached = _DEFLATED.get(data) if len(data) >= _DEFLATE_CACHE_MIN else None
    if cached is not None:
        return cached
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    result = zlib.crc32(data), compressor.compress(data) + compressor.flush()
    if len(data) >= _DEFLATE_CACHE_MIN:
        if len(_DEFLATED) >= _DEFLATE_CACHE_ITEMS:
            _DEFLATED.clear()
        _DEFLATED[data] = result
    return result


def zip_entries(entries: dict[str, bytes], stamp: datetime, *, compress: bool = True) -> bytes:
    """A zip with fixed timestamps and stable order: content types, package rels, then the rest by name.

    Byte for byte what ``zipfile`` writes with ``writestr``; members are deflated through ``_deflate``
    so unchanged parts are not compressed again. ``compress=False`` stores them (for reading back only).
    """
    first = ["[Content_Types].xml", "_rels/.rels"]
    names = [n for n in first if n in entries] + sorted(n for n in entries if n not in first)
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    date_time = stamp.timetuple()[:6]
    with zipfile.ZipFile(out, "w", method) as zf:
        for name in names:
            data = entries[name]
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = method
            info.external_attr = 0o600 << 16
            info.create_system = 0
            if compress:
                crc, packed = _deflate(data)
            else:
                crc, packed = zlib.crc32(data), data
            info.file_size, info.compress_size, info.CRC = len(data), len(packed), crc
            info.header_offset = out.tell()
            out.write(info.FileHeader(False))
            out.write(packed)
            zf.filelist.append(info)
            zf.NameToInfo[name] = info
            zf.start_dir = out.tell()
            zf._didModify = True
    return out.getvalue()


_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def theme_typefaces(theme) -> tuple[str, str]:
    """A parsed theme part's heading (major) and body (minor) Latin typefaces; Arial where it names none.

    The deck measures its text in these, and the quality gate measures the built deck the same way."""

    def face(kind: str) -> str:
        latin = theme.find(f".//{_DRAWING}{kind}/{_DRAWING}latin") if theme is not None else None
        return (latin.get("typeface") if latin is not None else None) or "Arial"

    return face("majorFont"), face("minorFont")


def body_typeface(styles, theme=None) -> str:
    """The font a parsed Word styles part sets body text in: the Normal style's, else the document
    default, else Arial; a theme font (``w:asciiTheme="minorHAnsi"``) is the parsed ``theme``'s minor (or
    major) font. The paper measures its tables in it, and the quality gate does the same."""
    if styles is None:
        return "Arial"

    def face(fonts) -> str | None:
        if fonts is None:
            return None
        themed = fonts.get(f"{_WORD}asciiTheme")
        if themed and theme is not None:
            return theme_typefaces(theme)[0 if themed.startswith("major") else 1]
        return fonts.get(f"{_WORD}ascii")

    for style in styles.iterchildren(f"{_WORD}style"):
        named = style.find(f"{_WORD}name")
        if named is not None and named.get(f"{_WORD}val") == "Normal":
            found = face(style.find(f"{_WORD}rPr/{_WORD}rFonts"))
            if found:
                return found
            break
    return face(styles.find(f"{_WORD}docDefaults/{_WORD}rPrDefault/{_WORD}rPr/{_WORD}rFonts")) or "Arial"
