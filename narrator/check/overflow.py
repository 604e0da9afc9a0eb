"""Text that does not fit: measured with the renderer's own font metrics (narrator.render.metrics)."""

from __future__ import annotations

from narrator.check.problem import Problem
from narrator.render.metrics import LINE_PITCH, Measure

EMU_PT = 12700
TOLERANCE_PT = 1.5  # rounding in EMU and a renderer's sub-point differences
BODY_FLOOR_PT = 12
BULLET_INDENT_PT = 0.3125 * 72
DEFAULT_PT = 18  # PowerPoint's size for text that sets none


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R, _RPR, _T = f"{_A}r", f"{_A}rPr", f"{_A}t"


def _para_size(paragraph, default: float) -> tuple[float, bool]:
    """The largest run size in the paragraph (``default`` when none is set) and whether any run is bold.

    DrawingML paragraphs are read from the runs' ``a:rPr`` directly (python-pptx's font properties cost
    an element lookup each); Word paragraphs through python-docx.
    """
    if not paragraph._p.tag.startswith(_A):
        sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None]
        return (max(sizes) if sizes else default), any(r.font.bold for r in paragraph.runs)
    sizes, bold = [], False
    for run in paragraph._p.iterchildren(_R):
        rpr = run.find(_RPR)
        if rpr is None:
            continue
        if rpr.get("sz") is not None:
            sizes.append(int(rpr.get("sz")) / 100)
        bold = bold or rpr.get("b") in ("1", "true")
    return (max(sizes) if sizes else default), bold


def _text(paragraph) -> str:
    runs = "".join((run.findtext(_T) or "") for run in paragraph._p.iterchildren(_R))
    return runs.replace("\v", "\n") or paragraph.text.replace("\v", "\n")


def _box(shape) -> tuple:
    """(left, top, width, height) as python-pptx reports them, read straight from the shape's own xfrm
    when it has one; placeholders that inherit their position from the layout go through python-pptx."""
    el = shape._element
    xfrm = el.find("{http://schemas.openxmlformats.org/presentationml/2006/main}xfrm")
    if xfrm is None:
        xfrm = el.find(f"*/{_A}xfrm")
    if xfrm is not None:
        off, ext = xfrm.find(f"{_A}off"), xfrm.find(f"{_A}ext")
        try:
            if off is not None and ext is not None:
                return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))
        except (TypeError, ValueError):
            pass  # a universal measure ("1in") or a missing attribute: let python-pptx parse it
    return shape.left, shape.top, shape.width, shape.height


def check_deck_overflow(name: str, prs, fonts: tuple[str, str]) -> list[Problem]:
    from pptx.enum.shapes import PP_PLACEHOLDER

    title_measure, body_measure = Measure(fonts[0]), Measure(fonts[1])
    problems: list[Problem] = []
    width, height = prs.slide_width, prs.slide_height
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            where = f"slide {number}, shape {shape.name!r}"
            left, top, w, h = _box(shape)
            if top + h > height + EMU_PT * TOLERANCE_PT or left + w > width + (EMU_PT * TOLERANCE_PT):
                problems.append(Problem(name, where, "extends beyond the edge of the slide"))
            if getattr(shape, "has_table", False):
                problems += _table(name, where, shape, slide, height, body_measure)
                continue
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            kind = shape.placeholder_format.type if shape.is_placeholder else None
            is_title = kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
            is_body = kind in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
            problems += _frame(name, where, shape, title_measure if is_title else body_measure, is_title, is_body)
    return problems


def _frame(name: str, where: str, shape, measure: Measure, is_title: bool, is_body: bool) -> list[Problem]:
    frame = shape.text_frame
    if frame.word_wrap is False:
        return []
    avail_w = (shape.width - frame.margin_left - frame.margin_right) / EMU_PT
    avail_h = (shape.height - frame.margin_top - frame.margin_bottom) / EMU_PT
    problems = []
    needed = 0.0
    title_lines = 0
    for paragraph in frame.paragraphs:
        text = _text(paragraph)
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
    pr = tc.find(f"{_A}tcPr")
    get = (lambda _key, default: default) if pr is None else pr.get
    return (
        int(get("marL", 91440)),
        int(get("marR", 91440)),
        int(get("marT", 45720)),
        int(get("marB", 45720)),
    )


def _table(name: str, where: str, frame, slide, slide_height: int, measure: Measure) -> list[Problem]:
    table = frame.table
    widths = [col.width for col in table.columns]
    headers = [cell.text_frame.text.strip() for cell in table.rows[0].cells]
    problems: list[Problem] = []
    total = 0
    narrow: set[int] = set()
    for row in table.rows:
        tallest = 0.0
        for c, cell in enumerate(row.cells):
            left, right, top, bottom = _margins(cell._tc)
            inner_w = (widths[c] - left - right) / EMU_PT
            needed = (top + bottom) / EMU_PT
            for paragraph in cell.text_frame.paragraphs:
                text = _text(paragraph)
                size, bold = _para_size(paragraph, DEFAULT_PT)
                needed += measure.lines(text, size, inner_w, bold) * size * LINE_PITCH
                word = max(text.split(), key=lambda w: measure.width(w, size, bold), default="")
                if word and measure.width(word, size, bold) > inner_w + 0.5 and c not in narrow:
                    narrow.add(c)
                    column = headers[c] or f"column {c + 1}"
                    problems.append(
                        Problem(
                            name,
                            where,
                            f"column {column!r} is narrower than the word {word!r} at {size:g} pt; it breaks mid-word",
                        )
                    )
            tallest = max(tallest, needed)
        total += max(row.height, int(tallest * EMU_PT))
    frame_left, frame_top, frame_width, _ = _box(frame)
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
        other_left, other_top, other_width, _ = _box(other)
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


def check_paper_overflow(name: str, document) -> list[Problem]:
    """Word flows text onto new pages itself; what can still overflow is a table column or a wide drawing."""
    from docx.shared import Emu

    from narrator.render.docx_paper import body_font

    measure = Measure(body_font(document))
    section = document.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    problems: list[Problem] = []
    pad = Emu(int(0.075 * 914400)) * 2  # Word's default left and right cell margins
    for t, table in enumerate(document.tables, 1):
        where = f"table {t}"
        widths = [col.width for col in table.columns]
        if all(widths) and sum(widths) > text_width + EMU_PT * 2:
            problems.append(Problem(name, where, "wider than the text area of the page"))
        flagged: set[int] = set()
        for row in table.rows:
            for c, cell in enumerate(row.cells):
                if c >= len(widths) or not widths[c] or c in flagged:
                    continue
                for paragraph in cell.paragraphs:
                    size, bold = _para_size(paragraph, 11)
                    inner = (widths[c] - pad) / EMU_PT
                    word = max(paragraph.text.split(), key=lambda w: measure.width(w, size, bold), default="")
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
    for n, extent in enumerate(document.element.body.iter("{*}extent"), 1):
        cx = int(extent.get("cx", "0"))
        if cx > text_width + EMU_PT * 2:
            problems.append(Problem(name, f"drawing {n}", "wider than the text area of the page"))
    return problems
