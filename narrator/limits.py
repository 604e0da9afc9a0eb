"""Bounds on what narrator reads: file kinds, file sizes and zip archives, checked before the work starts.

A pack is built unattended from files narrator does not control. A FIFO where a file belongs would hang
the run, /dev/zero would fill memory, a zip bomb posing as a workbook would expand to gigabytes. Each
check here fails with a user error that names the file, the limit and the environment variable that
raises it; the limits are generous for real material (the largest export in the shared data is a few
megabytes).
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from narrator.errors import UserError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """One size limit in megabytes, with the environment variable that overrides it."""

    env: str
    default_mb: float
    what: str  # "a data file", "a config or YAML document" ...

    def bytes(self) -> int:
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            return int(self.default_mb * MB)
        try:
            value = float(raw)
        except ValueError:
            raise UserError(f"{self.env}={raw!r}: expected a size in megabytes, e.g. {self.env}=100") from None
        if value <= 0:
            raise UserError(f"{self.env}={raw!r}: expected a positive size in megabytes")
        return int(value * MB)


DATA = Limit("NARRATOR_MAX_DATA_MB", 256, "a data file")
DOCUMENT = Limit("NARRATOR_MAX_DOCUMENT_MB", 16, "a config or YAML/JSON document")
RECORD = Limit("NARRATOR_MAX_RECORD_MB", 64, "a run record")
TEMPLATE = Limit("NARRATOR_MAX_TEMPLATE_MB", 1, "a template")
OFFICE = Limit("NARRATOR_MAX_OFFICE_MB", 128, "an Office file")
UNZIPPED = Limit("NARRATOR_MAX_UNZIPPED_MB", 512, "the unzipped content of an Office file")
MAX_TEXT = 10_000  # characters in one cell, label or name: a paragraph, not a file pasted into a cell
MAX_MAGNITUDE = 1e15  # no count, duration or amount a contact centre reports comes near a thousand trillion
MAX_MEMBERS = 10_000  # parts in one Office package; a real deck or workbook has a few hundred
MAX_RATIO = 200  # uncompressed/compressed size of one part; office XML compresses 5-30x, bombs 1000x+
RATIO_FLOOR = 4 * MB  # parts smaller than this may compress as well as they like


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_file(path: Path, name: str, limit: Limit, error: type[UserError] = UserError) -> int:
    """The size of ``path`` after checking it is a regular file within ``limit``; ``name`` is how the
    user knows the file (its config key or path)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{name}: file not found ({path})") from None
    except OSError as exc:
        raise error(f"{name}: cannot be read ({exc.strerror}); check the path and its permissions") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{name}: {path} is {_kind(info.st_mode)}, not a regular file; give the path of a file")
    if info.st_size > limit.bytes():
        raise error(_too_big(name, info.st_size, limit))
    return info.st_size


def _too_big(name: str, size: int, limit: Limit) -> str:
    return (
        f"{name}: {_size(size)} is over the {_size(limit.bytes())} limit for {limit.what}; "
        f"check it is the right file, or raise the limit with {limit.env}=<megabytes>"
    )


def _size(count: int) -> str:
    return f"{count / MB:.1f} MB" if count >= MB // 10 else f"{count / 1024:.1f} KB"


def read_bytes(path: Path, name: str, limit: Limit, error: type[UserError] = UserError) -> bytes:
    """The bytes of a regular file within ``limit``. Reads at most one byte past the limit, so a file
    that grows while it is read (or claims size 0, as /proc files do) cannot fill memory."""
    check_file(path, name, limit, error)
    cap = limit.bytes()
    try:
        with open(path, "rb") as handle:
            data = handle.read(cap + 1)
    except OSError as exc:
        raise error(f"{name}: cannot be read ({exc.strerror}); check the path and its permissions") from None
    if len(data) > cap:
        raise error(_too_big(name, len(data), limit))
    return data


def read_text(
    path: Path, name: str, limit: Limit, error: type[UserError] = UserError, encoding: str = "utf-8-sig"
) -> str:
    """``read_bytes`` decoded; UnicodeDecodeError propagates so the caller can word its own hint."""
    return read_bytes(path, name, limit, error).decode(encoding)


def check_document_tree(data: object, name: str, error: type[UserError] = UserError) -> None:
    """Refuse a parsed YAML/JSON document holding a string longer than MAX_TEXT characters or a number
    beyond MAX_MAGNITUDE (``1e308`` parses, then overflows every sum and every formatter after it)."""
    problems: list[str] = []
    seen: set[int] = set()  # YAML aliases share one object: walk it once ("billion laughs" stays cheap)

    def walk(node: object, path: str) -> None:
        if len(problems) >= 20:
            return
        if isinstance(node, dict | list):
            if id(node) in seen:
                return
            seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")
        elif isinstance(node, str) and len(node) > MAX_TEXT:
            problems.append(
                f"{name}: {path or 'the document'}: a text of {len(node):,} characters is over the "
                f"limit of {MAX_TEXT:,}; shorten it"
            )
        elif isinstance(node, int | float) and not isinstance(node, bool) and not abs(node) <= MAX_MAGNITUDE:
            problems.append(
                f"{name}: {path or 'the document'}: {node:g} is not a real amount (over "
                f"{MAX_MAGNITUDE:g} or not finite); check the number"
            )

    walk(data, "")
    if problems:
        raise error(problems)


def check_zip(source: Path | bytes, name: str, error: type[UserError] = UserError) -> None:
    """Refuse an Office package (.xlsx, .docx, .pptx) that would expand past the limits: too many parts,
    too much uncompressed content in total, or one large part compressed suspiciously well."""
    total_cap = UNZIPPED.bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return  # not a zip at all: the reader that follows says so in its own words
    if len(members) > MAX_MEMBERS:
        raise error(
            f"{name}: {len(members)} parts in one Office file is over the limit of {MAX_MEMBERS}; "
            "it is not a workbook, document or deck narrator can read"
        )
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise error(
                f"{name}: part {member.filename} expands {member.file_size // max(member.compress_size, 1)} "
                f"times (over {MAX_RATIO}), as a zip bomb does; open the file in Office and save it again"
            )
        if total > total_cap:
            raise error(
                f"{name}: unzips to more than the {_size(total_cap)} limit for {UNZIPPED.what}; check it "
                f"is the right file, or raise the limit with {UNZIPPED.env}=<megabytes>"
            )
