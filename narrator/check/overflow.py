"""Text that does not fit: measured with the renderer's own font metrics (narrator.render.metrics)."""

from __future__ import annotations

from narrator.check.deck_view import DeckView, ShapeView, SlideView, first, paragraph_text
from narrator.check.problem import Problem
from narrator.render.metrics import LINE_PITCH, Measure
from narrator.render.ooxml import body_typeface

EMU_PT = 12700
TOLERANCE_PT = 1.5  # rounding in EMU and a renderer's sub-point differences
BODY_FLOOR_PT = 12
BULLET_INDENT_PT = 0.3125 * 72
DEFAULT_PT = 18  # PowerPoint's size for text that sets none


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R, _RPR = f"{_A}r", f"{_A}rPr"
_FLD = f"{_A}fld"
_TITLES = ("title", "ctrTitle")
_BODIES = ("body", "obj")
_TWIP = 635  # EMU in a twentieth of a point


def _para_size(paragraph, default: float) -> tuple[float, bool]:
    """The largest run size in a DrawingML paragraph (``default`` when none is set) and whether any run
    is bold, read from the runs' and fields' ``a:rPr``."""
    sizes, bold = [], False
    for run in paragraph.iterchildren(_R, _FLD):  # fields (a slide number) are sized like runs
        rpr = first(run, _RPR)
        if rpr is None:
            continue
        if rpr.get("sz") is not None:
            sizes.append(int(rpr.get("sz")) / 100)
        bold = bold or rpr.get("b") in ("1", "true")
    return (max(sizes) if sizes else default), bold


def check_deck_overflow(name: str, deck: DeckView) -> list[Problem]:
    measures: dict[tuple[str, str], tuple[Measure, Measure]] = {}
    problems: list[Problem] = []
    width, height = deck.width, deck.height
    for slide in deck.slides:
        if slide.fonts not in measures:  # each master's own fonts: a second master may set another face
            measures[slide.fonts] = Measure(slide.fonts[0]), Measure(slide.fonts[1])
        title_measure, body_measure = measures[slide.fonts]
        for shape in slide.shapes:
            where = f"slide {slide.number}, shape {shape.name!r}"
            left, top, w, h = shape.box
            if top + h > height + EMU_PT * TOLERANCE_PT or left + w > width + (EMU_PT * TOLERANCE_PT):
                problems.append(Problem(name, where, "extends beyond the edge of the slide"))
            if shape.kind == "table":
                problems += _table(name, where, shape, slide, height, body_measure)
                continue
            body = shape.text_body
            if body is None or not shape.text.strip():
                continue
            is_title = shape.placeholder in _TITLES
            is_body = shape.placeholder in _BODIES
            measure = title_measure if is_title else body_measure
            problems += _frame(name, where, shape, body, measure, is_title, is_body)
    return problems


def _frame(name: str, where: str, shape: ShapeView, body, measure: Measure, is_title: bool, is_body: bool):
    body_pr = body.find(f"{_A}bodyPr")
    get = body_pr.get if body_pr is not None else (lambda _key, default=None: default)
    if get("wrap") == "none":
        return []
    avail_w = (shape.box[2] - int(get("lIns", 91440)) - int(get("rIns", 91440))) / EMU_PT
    avail_h = (shape.box[3] - int(get("tIns", 45720)) - int(get("bIns", 45720))) / EMU_PT
    problems = []
    needed = 0.0
    title_lines = 0
    for paragraph in body.iterchildren(f"{_A}p"):
        text = paragraph_text(paragraph)
        size, bold = _para_size(paragraph, DEFAULT_PT)
        if not text.strip():
            needed += size * LINE_PITCH
            continue
        indent = BULLET_INDENT_PT if is_body else 0.0
        lines = measure.lines(text, size, avail_w - indent, bold or is_title)
        title_lines += lines
        needed += lines * size * LINE_PITCH + (size * 0.5 if is_body else 0.0)
        if is_body and size < BODY_FLOOR_PT:
            problems.append(Problem(name, where, f"body text at {size:g} pt, below the {BODY_FLOOR_PT} pt floor"))
    if is_title and title_lines > 2:
        problems.append(Problem(name, where, f"title runs to {title_lines} lines; shorten it to two"))
    if needed > avail_h + TOLERANCE_PT:
        problems.append(
            Problem(name, where, f"text needs {needed:.0f} pt of height but the box holds {avail_h:.0f} pt")
        )
    return problems


def _margins(tc) -> tuple[int, int, int, int]:
    """A cell's left, right, top and bottom margins in EMU, with python-pptx's defaults."""
    pr = first(tc, f"{_A}tcPr")
    get = (lambda _key, default: default) if pr is None else pr.get
    return (
        int(get("marL", 91440)),
        int(get("marR", 91440)),
        int(get("marT", 45720)),
        int(get("marB", 45720)),
    )


def _table(name: str, where: str, frame: ShapeView, slide: SlideView, slide_height: int, measure: Measure):
    table = frame.table
    widths = [int(col.get("w", "0")) for col in table.iterfind(f"{_A}tblGrid/{_A}gridCol")]
    rows = list(table.iterchildren(f"{_A}tr"))
    cells = [list(row.iterchildren(f"{_A}tc")) for row in rows]
    headers = [
        "\n".join(paragraph_text(p, runs_only=False) for p in cell.iter(f"{_A}p")).strip()
        for cell in (cells[0] if cells else ())
    ]
    problems: list[Problem] = []
    total = 0
    narrow: set[int] = set()
    for row, row_cells in zip(rows, cells, strict=True):
        tallest = 0.0
        for c, cell in enumerate(row_cells):
            left, right, top, bottom = _margins(cell)
            inner_w = ((widths[c] if c < len(widths) else 0) - left - right) / EMU_PT
            needed = (top + bottom) / EMU_PT
            for paragraph in cell.iterfind(f"{_A}txBody/{_A}p"):
                text = paragraph_text(paragraph)
                size, bold = _para_size(paragraph, DEFAULT_PT)
                needed += measure.lines(text, size, inner_w, bold) * size * LINE_PITCH
                word = max(text.split(), key=lambda w: measure.width(w, size, bold), default="")
                if word and measure.width(word, size, bold) > inner_w + 0.5 and c not in narrow:
                    narrow.add(c)
                    column = (headers[c] if c < len(headers) else "") or f"column {c + 1}"
                    problems.append(
                        Problem(
                            name,
                            where,
                            f"column {column!r} is narrower than the word {word!r} at {size:g} pt; it breaks mid-word",
                        )
                    )
            tallest = max(tallest, needed)
        total += max(int(row.get("h", "0")), int(tallest * EMU_PT))
    frame_left, frame_top, frame_width, _ = frame.box
    bottom = frame_top + total
    if bottom > slide_height:
        problems.append(
            Problem(
                name,
                where,
                f"table runs {(bottom - slide_height) / 914400:.2f} in off the bottom of the slide",
            )
        )
    tolerance = int(TOLERANCE_PT * EMU_PT)
    for other in slide.shapes:
        if other.shape_id == frame.shape_id:
            continue
        other_left, other_top, other_width, _ = other.box
        side_by_side = other_left >= frame_left + frame_width or other_left + other_width <= frame_left
        if not side_by_side and frame_top <= other_top < bottom - tolerance:
            problems.append(
                Problem(
                    name,
                    where,
                    f"table (with its rows grown to fit their text) overlaps shape {other.name!r}",
                )
            )
    return problems


def check_paper_overflow(name: str, document, styles, theme=None) -> list[Problem]:
    """Word flows text onto new pages itself; what can still overflow is a table column or a wide drawing.

    ``document``, ``styles`` and ``theme`` are the parsed word/document.xml, word/styles.xml and theme
    (styles and theme may be None).
    """
    measure = Measure(body_typeface(styles, theme))
    body = document.find(f"{_W}body")
    if body is None:
        return []
    text_width = _text_width(body)
    problems: list[Problem] = []
    pad = int(0.075 * 914400) * 2  # Word's default left and right cell margins
    for t, table in enumerate(body.iterchildren(f"{_W}tbl"), 1):
        where = f"table {t}"
        widths = [_twips(col.get(f"{_W}w")) for col in table.iterfind(f"{_W}tblGrid/{_W}gridCol")]
        if widths and all(widths) and text_width is not None and sum(widths) > text_width + EMU_PT * 2:
            problems.append(Problem(name, where, "wider than the text area of the page"))
        flagged: set[int] = set()
        for row in table.iterchildren(f"{_W}tr"):
            for c, cell in _grid_cells(row):
                if c >= len(widths) or not widths[c] or c in flagged:
                    continue
                for paragraph in cell.iterchildren(f"{_W}p"):
                    size, bold = _word_para_size(paragraph, 11)
                    inner = (widths[c] - pad) / EMU_PT
                    words = _word_text(paragraph).split()
                    word = max(words, key=lambda w: measure.width(w, size, bold), default="")
                    if word and measure.width(word, size, bold) > inner + 0.5:
                        flagged.add(c)
                        problems.append(
                            Problem(
                                name,
                                where,
                                f"column {c + 1} is narrower than the word {word!r}; it breaks mid-word",
                            )
                        )
                        break
    if text_width is not None:
        for n, extent in enumerate(body.iter("{*}extent"), 1):
            cx = int(extent.get("cx", "0"))
            if cx > text_width + EMU_PT * 2:
                problems.append(Problem(name, f"drawing {n}", "wider than the text area of the page"))
    return problems


def _twips(value: str | None) -> int:
    try:
        return int(value) * _TWIP if value is not None else 0
    except ValueError:
        return 0


def _text_width(body) -> int | None:
    """The text width of the body's last section (page width less the left and right margins), in EMU."""
    section = body.find(f"{_W}sectPr")
    if section is None:
        return None
    size, margins = section.find(f"{_W}pgSz"), section.find(f"{_W}pgMar")
    if size is None or margins is None:
        return None
    return _twips(size.get(f"{_W}w")) - _twips(margins.get(f"{_W}left")) - _twips(margins.get(f"{_W}right"))


def _grid_cells(row):
    """(grid column, w:tc) for each column a row's cells cover, a merged cell once per column it spans."""
    column = 0
    before = row.find(f"{_W}trPr/{_W}gridBefore")
    if before is not None:
        column = int(before.get(f"{_W}val", "0"))
    for cell in row.iterchildren(f"{_W}tc"):
        span = cell.find(f"{_W}tcPr/{_W}gridSpan")
        for _ in range(int(span.get(f"{_W}val", "1")) if span is not None else 1):
            yield column, cell
            column += 1


def _word_para_size(paragraph, default: float) -> tuple[float, bool]:
    """A Word paragraph's largest direct run size in points and whether any run is directly bold."""
    sizes, bold = [], False
    for run in paragraph.iterchildren(f"{_W}r"):
        rpr = first(run, f"{_W}rPr")
        if rpr is None:
            continue
        size = first(rpr, f"{_W}sz")
        if size is not None and size.get(f"{_W}val"):
            sizes.append(int(size.get(f"{_W}val")) / 2)
        flag = first(rpr, f"{_W}b")
        bold = bold or (flag is not None and flag.get(f"{_W}val", "true") not in ("0", "false", "off"))
    return (max(sizes) if sizes else default), bold


_WORD_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


def _word_text(paragraph) -> str:
    """A Word paragraph's text as python-docx gives it: runs and hyperlinked runs, tabs and breaks."""
    pieces = []
    for child in paragraph:
        if child.tag == f"{_W}hyperlink":
            runs = list(child.iterchildren(f"{_W}r"))
        else:
            runs = [child] if child.tag == f"{_W}r" else []
        for run in runs:
            for el in run:
                if el.tag in _WORD_TEXT:
                    pieces.append((el.text or "") if el.tag == f"{_W}t" else _WORD_TEXT[el.tag])
    return "".join(pieces)
