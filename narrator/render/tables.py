"""Table geometry for slides: column widths from measured text, row heights, and splitting across slides."""

from __future__ import annotations

from narrator.render.metrics import LINE_PITCH, Measure
from narrator.tell.story import Segment, TableSpec

IN = 914400
CELL_PAD_X = int(0.16 * IN)  # left + right cell margins
CELL_PAD_Y = int(0.08 * IN)  # top + bottom cell margins


def column_widths(spec: TableSpec, measure: Measure, size: float, total: int) -> list[int]:
    """Share ``total`` EMU between columns in proportion to their widest text, so nothing wraps needlessly."""
    columns = len(spec.header)
    natural = []
    for c in range(columns):
        texts = [(spec.header[c].plain(), True)] + [
            (row[c].plain(), False) for row in spec.rows if c < len(row)
        ]
        widest = max(measure.width(text, size, bold) for text, bold in texts)
        natural.append(widest * 12700 + CELL_PAD_X)
    scale = total / sum(natural)
    widths = [int(w * scale) for w in natural]
    widths[-1] += total - sum(widths)  # rounding remainder, so the table spans the box exactly
    return widths


def row_height(texts: list[str], widths: list[int], measure: Measure, size: float, bold: bool = False) -> int:
    lines = max(
        measure.lines(text, size, (w - CELL_PAD_X) / 12700, bold)
        for text, w in zip(texts, widths, strict=False)
    )
    return int(lines * size * LINE_PITCH * 12700 + CELL_PAD_Y)


def paginate(spec: TableSpec, measure: Measure, size: float, boxes: list) -> list:
    """Rows per slide: the first page fits ``boxes[0]``, the rest ``boxes[1]``; the header repeats on each.

    Returns a list of ``(rows, widths)`` where rows is ``[(cells, height_emu), ...]``.
    """
    pages = []
    remaining: list[tuple[Segment, ...]] = list(spec.rows)
    while remaining or not pages:
        box = boxes[0] if not pages else boxes[1]
        widths = column_widths(spec, measure, size, box.w)
        header = row_height([s.plain() for s in spec.header], widths, measure, size, bold=True)
        room = box.h - header
        page: list = []
        while remaining:
            height = row_height([s.plain() for s in remaining[0]], widths, measure, size)
            if page and height > room:
                break
            page.append((remaining.pop(0), height))  # a lone over-tall row still goes: better than looping
            room -= height
        pages.append((page, widths))
    return pages
