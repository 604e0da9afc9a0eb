"""Text as the deck writes it: runs at a size, bold and theme colour, speaker notes, bulleted text boxes,
table rows and slide-number fields, as XML in one go (python-pptx's per-property API costs an XPath a call).
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from xml.sax.saxutils import escape

from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Pt

IN = 914400
FURNITURE_PT = 9
_SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # any GUID will do; a fixed one keeps builds stable
# Furniture text: the theme's text colour lightened by 35%, unless that is too faint on the background.
FURNITURE_COLOUR = (
    '<a:solidFill><a:schemeClr val="tx1"><a:lumMod val="65000"/><a:lumOff val="35000"/></a:schemeClr></a:solidFill>'
)

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P_NVPR, _P_PH, _P_SP, _P_TXBODY, _A_T = qn("p:nvPr"), qn("p:ph"), qn("p:sp"), qn("p:txBody"), qn("a:t")
# Clark names worked out once: python-pptx's qn makes an object per call, and set_text runs for every box.
_A_P, _A_R, _A_PPR, _A_END_PARA_RPR = qn("a:p"), qn("a:r"), qn("a:pPr"), qn("a:endParaRPr")
_CTRL = re.compile(r"[\x00-\x08\x0B-\x1F]")  # python-pptx writes these as "_xHHHH_" in run text


def _ctrl_escape(match: re.Match) -> str:
    return f"_x{ord(match.group(0)):04X}_"


def fit_size(fits, top: float, floor: float) -> float:
    size = top
    while size > floor and not fits(size):
        size -= 1
    return size


def set_text(
    frame, paragraphs: list[str], size: float, bold: bool | None = None, fill: str | None = None, bullets: bool = False
) -> None:
    """One run per paragraph at ``size`` pt, the frame wrapping and not auto-fitting.

    ``fill`` is the runs' ``a:solidFill`` XML (None: the colour the template gives the box); ``bullets``
    marks each paragraph as a bullet of its own, for a text box that has no bullet style to inherit.
    The runs are written as XML in one go, without a proxy object per setting: text is most of a deck."""
    body = frame._txBody
    _wrap_without_autofit(body.bodyPr)
    existing = body.findall(_A_P)
    properties = run_properties(Pt(size).centipoints, bold, fill)
    for i, text in enumerate(paragraphs):
        para = existing[0] if i == 0 and existing else body.add_p()
        for old in para.findall(_A_R):
            para.remove(old)
        if bullets and para.find(_A_PPR) is None:
            para.insert(0, parse_xml(_BULLET))
        run = _new_run(properties)
        run.find(_A_T).text = _CTRL.sub(_ctrl_escape, text)
        end = para.find(_A_END_PARA_RPR)
        if end is not None:
            end.addprevious(run)
        else:
            para.append(run)
    for extra in existing[max(1, len(paragraphs)) :]:
        body.remove(extra)


# Parsed empty runs by their a:rPr XML (run_properties), copied for each paragraph: a deck sets a few
# hundred runs in a handful of styles, and copying a parsed run costs a fraction of parsing it.
_RUNS: dict[str, object] = {}


def _new_run(properties: str):
    """``parse_xml`` of an a:r with these run properties and an empty a:t, as a fresh copy."""
    parsed = _RUNS.get(properties)
    if parsed is None:
        parsed = parse_xml(f'<a:r xmlns:a="{_A}">{properties}<a:t/></a:r>')
        if len(_RUNS) >= 64:
            _RUNS.clear()
        _RUNS[properties] = parsed
    return copy.deepcopy(parsed)


_AUTOFITS = (qn("a:noAutofit"), qn("a:normAutofit"), qn("a:spAutoFit"))
_AUTOFIT_SUCCESSORS = (qn("a:scene3d"), qn("a:sp3d"), qn("a:flatTx"), qn("a:extLst"))


def _wrap_without_autofit(body_pr) -> None:
    """``frame.word_wrap = True`` and ``frame.auto_size = MSO_AUTO_SIZE.NONE``, the XML python-pptx writes:
    wrap="square", any autofit choice replaced by a:noAutofit before the first of its successors found."""
    body_pr.set("wrap", "square")
    for tag in _AUTOFITS:
        for old in body_pr.findall(tag):
            body_pr.remove(old)
    no_autofit = OxmlElement("a:noAutofit")
    successor = next((c for c in map(body_pr.find, _AUTOFIT_SUCCESSORS) if c is not None), None)
    if successor is not None:
        successor.addprevious(no_autofit)
    else:
        body_pr.append(no_autofit)


_BULLET = (
    f'<a:pPr xmlns:a="{_A}" marL="285750" indent="-285750"><a:spcBef><a:spcPts val="600"/></a:spcBef>'
    '<a:buFont typeface="Arial"/><a:buChar char="&#8226;"/></a:pPr>'
)


@lru_cache(maxsize=64)
def run_properties(centipoints: int, bold: bool | None, fill: str | None) -> str:
    """The a:rPr for a run's size, bold and fill."""
    attributes = f' sz="{centipoints}"' + ("" if bold is None else f' b="{int(bold)}"')
    if fill is None:
        return f"<a:rPr{attributes}/>"
    return f"<a:rPr{attributes}>{fill}</a:rPr>"


def set_plain_text(body, text: str) -> None:
    """``frame.text = text`` on the frame's a:txBody ``body`` as python-pptx does it (a paragraph per line,
    a line break per vertical tab, unstyled runs), written as XML in one go: speaker notes run to dozens
    of lines."""
    for para in body.findall(qn("a:p")):
        body.remove(para)
    paragraphs, texts = [], []
    for line in text.split("\n"):
        runs = []
        for i, piece in enumerate(line.split("\v")):
            runs.append("<a:br/>" if i else "")
            if piece:
                runs.append("<a:r><a:t/></a:r>")
                texts.append(_CTRL.sub(_ctrl_escape, piece))
        paragraphs.append(f"<a:p>{''.join(runs)}</a:p>")
    parsed = parse_xml(f'<a:txBody xmlns:a="{_A}">{"".join(paragraphs)}</a:txBody>')
    for element, value in zip(parsed.iter(_A_T), texts, strict=True):
        element.text = value  # set, not parsed: whitespace-only text survives as written
    for para in list(parsed):
        body.append(para)


_MARGIN_X, _MARGIN_Y = int(0.08 * IN), int(0.04 * IN)
_CELL_PR = f'marL="{_MARGIN_X}" marR="{_MARGIN_X}" marT="{_MARGIN_Y}" marB="{_MARGIN_Y}" anchor="ctr"'


def _colour(value: str) -> str:
    """A scheme name ("tx2") or RRGGBB as the colour element inside a fill."""
    if len(value) == 6 and all(ch in "0123456789ABCDEFabcdef" for ch in value) and not value.startswith(("bg", "tx")):
        return f'<a:srgbClr val="{value}"/>'
    return f'<a:schemeClr val="{value}"/>'


def table_rows(tbl, cells: list[tuple[str, ...]], heights: list[int], aligns: list[str], size: float, colours=None):
    """Replace the table's rows with styled ones, written as XML in one go.

    The same XML python-pptx writes when each cell is set through its API (margins, middle anchor,
    alignment, a run at ``size`` pt, theme fills) at a fraction of the cost: that API runs an xpath per
    property. ``colours`` (contrast.TableColours) gives the header fill and text and the body banding,
    chosen to stay readable; without it, text 2 under background 1 and banded backgrounds.
    """
    header_fill, header_text = (colours.header_fill, colours.header_text) if colours else ("tx2", "bg1")
    bands = colours.band_fills if colours else ("bg1", "bg2")
    body_text = colours.body_text if colours else "262626"
    sz = Pt(size).centipoints
    algn = ['"r"' if a == "right" else '"l"' for a in aligns]
    xml = [f'<a:tbl xmlns:a="{_A}">']
    for r, (texts, height) in enumerate(zip(cells, heights, strict=True)):
        if r == 0:
            rpr = f'<a:rPr sz="{sz}" b="1"><a:solidFill>{_colour(header_text)}</a:solidFill></a:rPr>'
            fill = header_fill
        else:
            rpr = f'<a:rPr sz="{sz}"><a:solidFill>{_colour(body_text)}</a:solidFill></a:rPr>'
            # Banding from the theme's light background so a client palette carries through.
            fill = bands[1] if r % 2 == 0 else bands[0]
        xml.append(f'<a:tr h="{height}">')
        for c, text in enumerate(texts):
            xml.append(
                f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:pPr algn={algn[c]}/><a:r>{rpr}"
                f"<a:t>{escape(_CTRL.sub(_ctrl_escape, text))}</a:t></a:r></a:p></a:txBody>"
                f"<a:tcPr {_CELL_PR}>"
                f"<a:solidFill>{_colour(fill)}</a:solidFill></a:tcPr></a:tc>"
            )
        xml.append("</a:tr>")
    xml.append("</a:tbl>")
    for tr in tbl.findall(qn("a:tr")):
        tbl.remove(tr)
    for tr in list(parse_xml("".join(xml))):
        for t in tr.iter(qn("a:t")):
            if t.text is None:
                t.text = ""  # python-pptx writes an empty cell as <a:t></a:t>; keep the bytes the same
        tbl.append(tr)


def slide_number_field(para, number: int, size: float = FURNITURE_PT, colour_xml: str | None = None) -> None:
    """A slidenum field showing ``number`` until the viewer renumbers it, at ``size`` pt in ``colour_xml``."""
    colour_xml = colour_xml or FURNITURE_COLOUR
    fld = parse_xml(
        f'<a:fld xmlns:a="{_A}" id="{_SLIDENUM_FIELD_ID}" type="slidenum"><a:rPr lang="en-GB" '
        f'sz="{int(size * 100)}">{colour_xml}</a:rPr><a:t>{number}</a:t></a:fld>'
    )
    end = para._p.find(qn("a:endParaRPr"))
    if end is not None:
        end.addprevious(fld)
    else:
        para._p.append(fld)
