"""Text measurement with real font metrics, so titles and bodies are sized to fit before anyone opens them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

LINE_PITCH = 1.2  # PowerPoint's single line spacing is about 1.2 em for the common sans faces
# Office and LibreOffice lay text out with hinting and kerning that can add a percent or two to a line:
# a line is full at 97% of the measured width, so a phrase that only just fits wraps here, as it will there.
WRAP_SLACK = 0.97

# Metric-compatible stand-ins: same advance widths as the Office faces, so measurements hold.
_STAND_INS = {
    "arial": ["Arial", "LiberationSans", "Arimo"],
    "helvetica": ["Helvetica", "LiberationSans", "Arimo"],
    "calibri": ["Calibri", "Carlito"],
    "cambria": ["Cambria", "Caladea"],
    "times new roman": ["Times New Roman", "LiberationSerif", "Tinos"],
    # No metric-compatible Georgia is packaged on Linux; DejaVu Serif is wider, so it errs on the safe side.
    "georgia": ["Georgia", "Gelasio", "DejaVuSerif"],
    "courier new": ["Courier New", "LiberationMono", "Cousine"],
}
# DejaVu Sans is wider than the Office faces: measuring with it errs toward wrapping early, never late.
_FALLBACK = ["LiberationSans", "DejaVuSans", "Arial"]


def _font_dirs() -> list[Path]:
    dirs = [
        Path.home() / ".fonts",
        Path.home() / ".local/share/fonts",
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
    ]
    if sys.platform == "win32":
        dirs.insert(0, Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts")
    return [d for d in dirs if d.is_dir()]


@lru_cache(maxsize=1)
def _font_files() -> dict[str, Path]:
    """Every TrueType file on the system, by lower-cased stem without spaces."""
    found: dict[str, Path] = {}
    for folder in _font_dirs():
        for path in sorted(folder.rglob("*.[tT][tT][fF]")):
            found.setdefault(path.stem.lower().replace(" ", ""), path)
    return found


def _find(stem: str, bold: bool) -> Path | None:
    files = _font_files()
    key = stem.lower().replace(" ", "")
    candidates = [f"{key}-bold", f"{key}bd", f"{key}b"] if bold else [f"{key}-regular", key, f"{key}-book"]
    return next((files[c] for c in candidates if c in files), None)


@lru_cache(maxsize=65536)
def _reference_length(family: str, bold: bool, text: str) -> float:
    """Advance width of ``text`` at the reference size; measured once per face and text."""
    font = _load(family, bold)
    if font is None:
        return len(text) * _REF_SIZE * (0.62 if bold else 0.58)
    return font.getlength(text)


@dataclass(frozen=True)
class Measure:
    """Measures text set in one typeface; falls back to a conservative estimate when no font file exists."""

    family: str = "Arial"

    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        return _reference_length(self.family.lower(), bold, text) * size_pt / _REF_SIZE

    def reference_width(self, text: str, bold: bool = False) -> float:
        """The width of ``text`` in units of its own: ``at_size`` of it is ``width`` at any size, so the
        widest of several texts is found once for all the sizes a table is tried at."""
        return _reference_length(self.family.lower(), bold, text)

    @staticmethod
    def at_size(reference_width: float, size_pt: float) -> float:
        """``width`` from a ``reference_width``: the same float, computed the same way."""
        return reference_width * size_pt / _REF_SIZE

    def wrap(self, text: str, size_pt: float, width_pt: float, bold: bool = False) -> list[str]:
        """Greedy word wrap as PowerPoint and Word do it; a word longer than the line stays on its own.

        A line's width is the sum of its words' widths and the spaces between them: words repeat across
        a pack, so each is measured once (kerning across a space is nil in these faces)."""
        lines: list[str] = []
        limit = width_pt * WRAP_SLACK * _REF_SIZE / size_pt  # compare in reference-size units
        family = self.family.lower()
        space = _reference_length(family, bold, " ")
        for hard_line in text.split("\n"):
            words: list[str] = []
            used = 0.0
            for word in hard_line.split():
                length = _reference_length(family, bold, word)
                if words and used + space + length > limit:
                    lines.append(" ".join(words))
                    words, used = [word], length
                else:
                    used += (space if words else 0.0) + length
                    words.append(word)
            lines.append(" ".join(words))
        return lines

    def longest_word(self, text: str, size_pt: float, bold: bool = False) -> float:
        """The width of the widest single word: the narrowest column that never breaks a word."""
        return max((self.width(word, size_pt, bold) for word in text.split()), default=0.0)

    def lines(self, text: str, size_pt: float, width_pt: float, bold: bool = False) -> int:
        return _line_count(self, text, size_pt, width_pt, bold)

    def height(self, text: str, size_pt: float, width_pt: float, bold: bool = False) -> float:
        return self.lines(text, size_pt, width_pt, bold) * size_pt * LINE_PITCH


@lru_cache(maxsize=8192)
def _line_count(measure: Measure, text: str, size_pt: float, width_pt: float, bold: bool) -> int:
    """Lines ``text`` wraps to: fitting tries the same text at the same sizes and widths again and again
    (a table is paginated at three sizes, its rows measured for each page and slide)."""
    return len(measure.wrap(text, size_pt, width_pt, bold))


_REF_SIZE = 200  # load once at a large size and scale: cheaper than one font object per point size


@lru_cache(maxsize=32)
def _load(family: str, bold: bool) -> ImageFont.FreeTypeFont | None:
    for path in _candidates(family, bold):
        if path is not None:
            try:
                return ImageFont.truetype(str(path), _REF_SIZE)
            except OSError:
                continue
    return None


def _candidates(family: str, bold: bool) -> Iterator[Path | None]:
    """The face's files, best first: the face or a metric twin; without them, the face this machine's
    renderers will substitute (fontconfig's choice, as LibreOffice makes it), so previews show what the
    measurements assumed; then the fallbacks. Found in turn, so fontconfig runs only when it is needed."""
    for stem in _STAND_INS.get(family, [family]):
        yield _find(stem, bold) or (_find(stem, False) if bold else None)
    yield _fc_match(family, bold)
    for stem in _FALLBACK:
        yield _find(stem, bold) or (_find(stem, False) if bold else None)


def _fc_match(family: str, bold: bool) -> Path | None:
    return _fc_matches(family)[bold]


@lru_cache(maxsize=32)
def _fc_matches(family: str) -> tuple[Path | None, Path | None]:
    """fontconfig's file for the family's regular and bold faces, asked at once: text is measured in
    both, and two fc-match processes side by side take the time of one."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None, None
    running = []
    for pattern in (family, f"{family}:bold"):
        try:
            running.append(
                subprocess.Popen(
                    [fc_match, "-f", "%{file}", pattern],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    stdin=subprocess.DEVNULL,
                    text=True,
                )
            )
        except OSError:
            running.append(None)
    found = [_matched(process) for process in running]
    return found[0], found[1]


def _matched(process: subprocess.Popen | None) -> Path | None:
    """The .ttf file an fc-match process names, None when it failed, timed out or named something else."""
    if process is None:
        return None
    try:
        out, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None
    found = out.strip()
    if process.returncode != 0 or not found:
        return None
    path = Path(found)
    return path if path.suffix.lower() == ".ttf" and path.is_file() else None
