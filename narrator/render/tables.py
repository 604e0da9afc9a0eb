"""Table geometry: column widths from measured text, row heights, and splitting across slides."""

from __future__ import annotations

from narrator.render.metrics import LINE_PITCH, WRAP_SLACK, Measure
from narrator.tell.story import Segment, TableSpec

IN = 914400
CELL_PAD_X = int(0.16 * IN)  # left + right cell margins
CELL_PAD_Y = int(0.08 * IN)  # top + bottom cell margins


def _columns(spec: TableSpec) -> list[list[tuple[str, bool]]]:
    """Each column's texts, header first (bold)."""
    return [
        [(spec.header[c].plain(), True)] + [(row[c].plain(), False) for row in spec.rows if c < len(row)]
        for c in range(len(spec.header))
    ]


# Width limits by (table's id, face, size) -> (table, limits): kept per table object, not by its value, as
# hashing a frozen table model hashes every cell of it, on every look-up. The table is held with its
# limits, so its id cannot be reused while the entry stands, and the hit is checked to be that table.
_LIMITS: dict[tuple[int, Measure, float], tuple[TableSpec, tuple[tuple[int, int], ...]]] = {}
_LIMITS_ITEMS = 256


def width_limits(spec: TableSpec, measure: Measure, size: float) -> tuple[tuple[int, int], ...]:
    """Per column, in EMU: the minimum (its longest word) and the preferred width (its longest line).

    Kept per table, face and size: the deck asks for the same table at the same sizes several times
    (whether it fits beside a chart, then which size fits, then its columns), and the paper again."""
    key = (id(spec), measure, size)
    hit = _LIMITS.get(key)
    if hit is not None and hit[0] is spec:
        return hit[1]
    limits = _width_limits(spec, measure, size)
    if len(_LIMITS) >= _LIMITS_ITEMS:
        _LIMITS.clear()
    _LIMITS[key] = (spec, limits)
    return limits


def _width_limits(spec: TableSpec, measure: Measure, size: float) -> tuple[tuple[int, int], ...]:
    limits = []
    for widest_word, widest_line in _reference_widths(spec, measure):
        # Scaling is monotonic, so the widest text scaled is the widest of the texts scaled: the same
        # floats as measuring every word and line at this size.
        least, most = measure.at_size(widest_word, size), measure.at_size(widest_line, size)
        # The slack the wrapper applies must be paid for here, or the longest word would still break.
        limits.append(
            (
                int(least / WRAP_SLACK * 12700) + CELL_PAD_X + 1,
                int(most / WRAP_SLACK * 12700) + CELL_PAD_X + 1,
            )
        )
    return tuple(limits)


# Per table and face, each column's widest word and widest line in reference units (Measure.reference_width),
# kept as _LIMITS is: the deck and the paper try a table at several sizes, and these do not depend on size.
_REFERENCE: dict[tuple[int, Measure], tuple[TableSpec, tuple[tuple[float, float], ...]]] = {}


def _reference_widths(spec: TableSpec, measure: Measure) -> tuple[tuple[float, float], ...]:
    key = (id(spec), measure)
    hit = _REFERENCE.get(key)
    if hit is not None and hit[0] is spec:
        return hit[1]
    found = []
    for texts in _columns(spec):
        word = max(
            (measure.reference_width(w, bold) for t, bold in texts for w in t.split()), default=0.0
        )  # Measure.longest_word of each text, the widest of them
        line = max(max(measure.reference_width(x, bold) for x in t.split("\n")) for t, bold in texts)
        found.append((word, line))
    if len(_REFERENCE) >= _LIMITS_ITEMS:
        _REFERENCE.clear()
    _REFERENCE[key] = (spec, tuple(found))
    return _REFERENCE[key][1]


def fits_width(spec: TableSpec, measure: Measure, size: float, total: int) -> bool:
    """True when every column can be at least as wide as its longest word at ``size``."""
    return sum(least for least, _ in width_limits(spec, measure, size)) <= total


def column_widths(spec: TableSpec, measure: Measure, size: float, total: int) -> list[int]:
    """Share ``total`` EMU between columns: no column below its longest word, wrapping the wordiest first.

    The way browsers lay out automatic tables: when every column fits on one line, the spare width goes
    in proportion to each column's content; otherwise each column gets its minimum and the rest is shared
    in proportion to how much more each column would like. Only when even the minimums do not fit (the
    caller should have chosen a smaller size) are the minimums scaled down.
    """
    limits = width_limits(spec, measure, size)
    least = [lo for lo, _ in limits]
    most = [max(lo, hi) for lo, hi in limits]
    if sum(most) <= total:
        widths = [int(w * total / sum(most)) for w in most]
    elif sum(least) <= total:
        widths = _share(least, most, total)
    else:
        widths = [int(w * total / sum(least)) for w in least]
    widths[-1] += total - sum(widths)  # rounding remainder, so the table spans the box exactly
    return widths


def _share(least: list[int], most: list[int], total: int) -> list[int]:
    """Short columns (status, amounts) get their whole line first; the wordy ones share what is left."""
    widths: dict[int, int] = {}
    open_ = list(range(len(least)))
    room = total
    while open_:
        fair = room / len(open_)
        settled = [c for c in open_ if most[c] <= fair]
        if not settled:
            break
        for c in settled:
            widths[c] = most[c]
            room -= most[c]
        open_ = [c for c in open_ if c not in settled]
    if open_ and sum(least[c] for c in open_) > room:
        # Giving short columns their full line starved the wordy ones: share from the minimums instead.
        widths, open_, room = {}, list(range(len(least))), total
    if open_:
        spare = room - sum(least[c] for c in open_)
        wants = {c: most[c] - least[c] for c in open_}
        for c in open_:
            widths[c] = least[c] + int(spare * wants[c] / (sum(wants.values()) or 1))
    return [widths[c] for c in range(len(least))]


def cell_lines(texts: list[str], widths: list[int], measure: Measure, size: float, bold: bool = False) -> int:
    return max(
        measure.lines(text, size, (w - CELL_PAD_X) / 12700, bold) for text, w in zip(texts, widths, strict=False)
    )


def row_height(texts: list[str], widths: list[int], measure: Measure, size: float, bold: bool = False) -> int:
    lines = cell_lines(texts, widths, measure, size, bold)
    return int(lines * size * LINE_PITCH * 12700 + CELL_PAD_Y)


def paginate(spec: TableSpec, measure: Measure, size: float, boxes: list) -> list:
    """Rows per slide: the first page fits ``boxes[0]``, the rest ``boxes[1]``; the header repeats on each.

    Returns a list of ``(rows, widths)`` where rows is ``[(cells, height_emu), ...]``.
    """
    pages = []
    remaining: list[tuple[Segment, ...]] = list(spec.rows)
    # Widths depend on the whole table and the box: measured once per box width, not once per page (which
    # made a long appendix take time in proportion to the square of its length).
    layouts: dict[int, tuple[list[int], int]] = {}
    start = 0
    while start < len(remaining) or not pages:
        box = boxes[0] if not pages else boxes[1]
        if box.w not in layouts:
            widths = column_widths(spec, measure, size, box.w)
            header = row_height([s.plain() for s in spec.header], widths, measure, size, bold=True)
            layouts[box.w] = widths, header
        widths, header = layouts[box.w]
        room = box.h - header
        page: list = []
        while start < len(remaining):
            height = row_height([s.plain() for s in remaining[start]], widths, measure, size)
            if page and height > room:
                break
            page.append((remaining[start], height))  # a lone over-tall row still goes: better than looping
            start += 1
            room -= height
        pages.append((page, widths))
    _no_orphan_row(pages, layouts[boxes[-1].w] if len(pages) > 1 else None, boxes[-1].h, measure, size)
    return pages


def _no_orphan_row(pages: list, layout, height: int, measure: Measure, size: float) -> None:
    """A continued table should not end on a slide holding one lonely row: move the row before it across
    when the last slide has room, so a reader never turns a page for a single line."""
    if layout is None or len(pages[-1][0]) != 1 or len(pages[-2][0]) < 3:
        return
    widths, header = layout
    (last_rows, last_widths), (prev_rows, prev_widths) = pages[-1], pages[-2]
    cells = prev_rows[-1][0]
    moved = row_height([s.plain() for s in cells], widths, measure, size)
    if header + moved + sum(h for _, h in last_rows) > height:
        return
    pages[-2] = (prev_rows[:-1], prev_widths)
    pages[-1] = ([(cells, moved), *last_rows], last_widths)
