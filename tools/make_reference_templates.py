"""Build narrator's default reference templates (templates/reference/default.pptx and default.docx).

Run from the repository root: ``python tools/make_reference_templates.py``. The output is byte-identical
on every run, so the committed files only change when this script does.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml as docx_parse
from docx.shared import Cm, Pt, RGBColor
from docx.styles import BabelFish
from lxml import etree
from pptx import Presentation
from pptx.oxml import parse_xml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from narrator.render.ooxml import finalise  # noqa: E402
from narrator.tell.story import DocumentProperties  # noqa: E402

OUT = ROOT / "templates" / "reference"
PROPS = DocumentProperties(title="", subject="", author="", company="", created="2025-01-01")

# A sober corporate palette: deep navy text, a corporate blue lead colour, muted supporting accents.
PALETTE = {
    "dk1": "1A1A1A",
    "lt1": "FFFFFF",
    "dk2": "1B2A41",
    "lt2": "E9EDF2",
    "accent1": "1F5A96",
    "accent2": "8DB3D9",
    "accent3": "C8963E",
    "accent4": "4E8A6B",
    "accent5": "A8423F",
    "accent6": "7F7F7F",
    "hlink": "1F5A96",
    "folHlink": "5B7DA6",
}
FONT = "Arial"  # Liberation Sans is metric-compatible, so narrator can measure text exactly

A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
NS = (
    f'{A} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    ' xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
IN = 914400  # EMU per inch
W, H = 12192000, 6858000  # 16:9, 13.333 x 7.5 in


def emu(inches: float) -> int:
    return round(inches * IN)


def theme_xml(original: str) -> str:
    colours = "".join(f'<a:{k}><a:srgbClr val="{v}"/></a:{k}>' for k, v in PALETTE.items())
    scheme = f'<a:clrScheme name="Narrator">{colours}</a:clrScheme>'
    fonts = (
        '<a:fontScheme name="Narrator">'
        f'<a:majorFont><a:latin typeface="{FONT}"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>'
        f'<a:minorFont><a:latin typeface="{FONT}"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>'
        "</a:fontScheme>"
    )
    text = re.sub(r"<a:clrScheme .*?</a:clrScheme>", scheme, original, flags=re.S)
    text = re.sub(r"<a:fontScheme .*?</a:fontScheme>", fonts, text, flags=re.S)
    return re.sub(r'<a:theme ([^>]*)name="[^"]*"', r'<a:theme \1name="Narrator"', text, count=1)


def sp(
    id_: int,
    name: str,
    ph: str,
    box: tuple[float, float, float, float] | None,
    prompt: str,
    body_pr: str = "<a:bodyPr/>",
    lst: str = "<a:lstStyle/>",
) -> str:
    xfrm = ""
    if box:
        x, y, w, h = box
        xfrm = f'<a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'
        xfrm += '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    text = f'<a:r><a:rPr lang="en-GB"/><a:t>{prompt}</a:t></a:r>' if prompt else ""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{id_}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{xfrm}</p:spPr><p:txBody>{body_pr}{lst}"
        f'<a:p>{text}<a:endParaRPr lang="en-GB"/></a:p></p:txBody></p:sp>'
    )


def rect(id_: int, name: str, box: tuple[float, float, float, float], colour: str) -> str:
    x, y, w, h = box
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{id_}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="{colour}"/>'
        "</a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
    )


GRP = (
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>'
    '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm>'
    "</p:grpSpPr>"
)
FOOT_Y, FOOT_H = 7.0, 0.3
TITLE_BOX = (0.5, 0.3, 12.333, 1.0)
BODY_BOX = (0.5, 1.55, 12.333, 5.3)
DT_BOX, FTR_BOX, NUM_BOX = (
    (0.5, FOOT_Y, 4.6, FOOT_H),
    (5.2, FOOT_Y, 5.6, FOOT_H),
    (11.333, FOOT_Y, 1.5, FOOT_H),
)
SMALL = (
    '<a:lstStyle><a:lvl1pPr algn="{algn}"><a:defRPr sz="900"><a:solidFill><a:schemeClr val="tx1">'
    '<a:lumMod val="65000"/><a:lumOff val="35000"/></a:schemeClr></a:solidFill></a:defRPr></a:lvl1pPr>'
    "</a:lstStyle>"
)
FOOT_BODY = '<a:bodyPr vert="horz" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="ctr"/>'


def footers(start: int, boxes: bool) -> str:
    return (
        sp(
            start,
            "Date Placeholder",
            '<p:ph type="dt" sz="half" idx="10"/>',
            DT_BOX if boxes else None,
            "",
            FOOT_BODY if boxes else "<a:bodyPr/>",
            SMALL.format(algn="l") if boxes else "<a:lstStyle/>",
        )
        + sp(
            start + 1,
            "Footer Placeholder",
            '<p:ph type="ftr" sz="quarter" idx="11"/>',
            FTR_BOX if boxes else None,
            "",
            FOOT_BODY if boxes else "<a:bodyPr/>",
            SMALL.format(algn="ctr") if boxes else "<a:lstStyle/>",
        )
        + sp(
            start + 2,
            "Slide Number Placeholder",
            '<p:ph type="sldNum" sz="quarter" idx="12"/>',
            NUM_BOX if boxes else None,
            "",
            FOOT_BODY if boxes else "<a:bodyPr/>",
            SMALL.format(algn="r") if boxes else "<a:lstStyle/>",
        )
    )


def levels(sizes: list[int]) -> str:
    out = []
    for i, size in enumerate(sizes, start=1):
        mar = 285750 + (i - 1) * 342900
        char = "•" if i % 2 else "–"
        out.append(
            f'<a:lvl{i}pPr marL="{mar}" indent="-285750" algn="l" rtl="0"><a:lnSpc><a:spcPct val="100000"/>'
            f'</a:lnSpc><a:spcBef><a:spcPts val="{900 if i == 1 else 400}"/></a:spcBef>'
            '<a:buClr><a:schemeClr val="accent1"/></a:buClr><a:buFont typeface="Arial"/>'
            f'<a:buChar char="{char}"/>'
            f'<a:defRPr sz="{size}" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>'
            '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl'
            f"{i}pPr>"
        )
    return "".join(out)


def master_xml(layout_ids: str) -> str:
    title = sp(
        2,
        "Title Placeholder",
        '<p:ph type="title"/>',
        TITLE_BOX,
        "Action title",
        '<a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0" anchor="b">'
        "<a:noAutofit/></a:bodyPr>",
    )
    body = sp(
        3,
        "Text Placeholder",
        '<p:ph type="body" idx="1"/>',
        BODY_BOX,
        "Supporting point",
        '<a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0">'
        "<a:noAutofit/></a:bodyPr>",
    )
    rule = rect(7, "Title rule", (0.5, 1.36, 12.333, 0.025), "accent1")
    title_style = (
        '<p:titleStyle><a:lvl1pPr algn="l" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
        '<a:lnSpc><a:spcPct val="95000"/></a:lnSpc><a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
        '<a:defRPr sz="2800" b="1" kern="1200"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill>'
        '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr>'
        "</a:lvl1pPr>"
        "</p:titleStyle>"
    )
    other = (
        '<p:otherStyle><a:defPPr><a:defRPr lang="en-GB"/></a:defPPr><a:lvl1pPr marL="0" algn="l">'
        '<a:defRPr sz="1800" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>'
        '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr>'
        "</a:lvl1pPr></p:otherStyle>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sldMaster {NS}><p:cSld><p:bg>'
        '<p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>'
        f"<p:spTree>{GRP}{title}{body}{footers(4, True)}{rule}</p:spTree></p:cSld>"
        '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" '
        'accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" '
        f'folHlink="folHlink"/>{layout_ids}<p:hf hdr="0"/><p:txStyles>{title_style}'
        f"<p:bodyStyle>{levels([1800, 1600, 1400, 1400, 1400, 1400, 1400, 1400, 1400])}</p:bodyStyle>"
        f"{other}</p:txStyles></p:sldMaster>"
    )


def dark_lst(size: int, bold: bool, colour: str) -> str:
    return (
        f'<a:lstStyle><a:lvl1pPr marL="0" indent="0" algn="l"><a:buNone/><a:defRPr sz="{size}" '
        f'b="{int(bold)}"><a:solidFill><a:schemeClr val="{colour}"/></a:solidFill></a:defRPr></a:lvl1pPr>'
        "</a:lstStyle>"
    )


def layout_xml(kind: str, name: str) -> str:
    dark_bg = (
        '<p:bg><p:bgPr><a:solidFill><a:schemeClr val="tx2"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>'
    )
    if kind == "title":
        shapes = (
            sp(
                2,
                "Title",
                '<p:ph type="ctrTitle"/>',
                (0.8, 1.9, 11.7, 2.2),
                "Title of the paper",
                '<a:bodyPr anchor="b"><a:noAutofit/></a:bodyPr>',
                dark_lst(4000, True, "bg1"),
            )
            + sp(
                3,
                "Subtitle",
                '<p:ph type="subTitle" idx="1"/>',
                (0.8, 4.45, 11.7, 1.9),
                "Subtitle",
                '<a:bodyPr anchor="t"><a:noAutofit/></a:bodyPr>',
                dark_lst(2000, False, "bg2"),
            )
            + rect(4, "Accent bar", (0.8, 4.25, 1.6, 0.06), "accent3")
        )
        return _layout("title", name, dark_bg, shapes, show_master=False)
    if kind == "secHead":
        shapes = (
            sp(
                2,
                "Title",
                '<p:ph type="title"/>',
                (0.8, 2.3, 11.7, 1.8),
                "Section or closing message",
                '<a:bodyPr anchor="b"><a:noAutofit/></a:bodyPr>',
                dark_lst(3600, True, "bg1"),
            )
            + sp(
                3,
                "Text",
                '<p:ph type="body" idx="1"/>',
                (0.8, 4.45, 11.7, 1.6),
                "Supporting line",
                '<a:bodyPr anchor="t"><a:noAutofit/></a:bodyPr>',
                dark_lst(1800, False, "bg2"),
            )
            + rect(4, "Accent bar", (0.8, 4.25, 1.6, 0.06), "accent3")
        )
        return _layout("secHead", name, dark_bg, shapes, show_master=False)
    title = sp(2, "Title", '<p:ph type="title"/>', None, "Action title: the message in one sentence")
    body = sp(3, "Content", '<p:ph idx="1"/>', None, "Supporting point") if kind == "obj" else ""
    shapes = title + body if kind != "blank" else ""
    return _layout(kind, name, "", shapes + footers(5, False), show_master=True)


def _layout(kind: str, name: str, bg: str, shapes: str, show_master: bool) -> str:
    show = "" if show_master else ' showMasterSp="0"'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sldLayout {NS} type="{kind}" '
        f'preserve="1"{show}><p:cSld name="{name}">{bg}<p:spTree>{GRP}{shapes}</p:spTree></p:cSld>'
        "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    )


LAYOUTS = [
    ("title", "Title Slide"),
    ("obj", "Title and Content"),
    ("secHead", "Section Header"),
    ("titleOnly", "Title Only"),
    ("blank", "Blank"),
]


def make_pptx() -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    master = prs.slide_master
    keep = {name for _, name in LAYOUTS}
    for layout in list(master.slide_layouts):
        if layout.name not in keep:
            master.slide_layouts.remove(layout)
    for layout in master.slide_layouts:
        kind = next(k for k, n in LAYOUTS if n == layout.name)
        layout.part._element = parse_xml(layout_xml(kind, layout.name).encode())
    ids = master.part._element.find(
        "{http://schemas.openxmlformats.org/presentationml/2006/main}sldLayoutIdLst"
    )
    master.part._element = parse_xml(master_xml(etree.tostring(ids).decode()).encode())
    theme = master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    )
    theme._blob = theme_xml(theme.blob.decode()).encode()
    notes = prs.notes_master  # created now so every deck shares one clean notes master
    for t in notes.element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}t"):
        t.text = {"Click to edit Master text styles": "Speaker notes"}.get(t.text, t.text)
    # The Mac printer settings blob in python-pptx's template means nothing to anyone else.
    for rel in list(prs.part.rels.values()):
        if rel.reltype.endswith("/printerSettings"):
            prs.part.drop_rel(rel.rId)
    prs.element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}sldSz").attrib.pop("type")
    buf = io.BytesIO()
    prs.save(buf)
    return finalise(buf.getvalue(), PROPS, {})


def make_docx() -> bytes:
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.3)
    section.top_margin, section.bottom_margin = Cm(2.3), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    styles = doc.styles
    navy, blue, grey = RGBColor(0x1B, 0x2A, 0x41), RGBColor(0x1F, 0x5A, 0x96), RGBColor(0x59, 0x59, 0x59)

    def font(name, size, bold=None, colour=None, italic=None, before=None, after=None):
        style = styles[name]
        style.font.name, style.font.size = FONT, Pt(size)
        if bold is not None:
            style.font.bold = bold
        if italic is not None:
            style.font.italic = italic
        if colour is not None:
            style.font.color.rgb = colour
        rfonts = style.element.rPr.rFonts
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{attr}", None)
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            if before is not None:
                style.paragraph_format.space_before = Pt(before)
            if after is not None:
                style.paragraph_format.space_after = Pt(after)
        return style

    normal = font("Normal", 10.5, after=6)
    normal.paragraph_format.line_spacing = 1.15
    font("Title", 26, bold=True, colour=navy, after=4)
    title = styles["Title"].element
    for border in title.xpath("./w:pPr/w:pBdr"):
        border.getparent().remove(border)
    font("Subtitle", 14, colour=grey, italic=False, after=18)
    for spacing in styles["Subtitle"].element.xpath("./w:rPr/w:spacing"):
        spacing.getparent().remove(spacing)
    for level, size in ((1, 16), (2, 13), (3, 11.5)):
        style = font(
            f"Heading {level}",
            size,
            bold=True,
            colour=navy if level == 1 else blue,
            before=18 if level == 1 else 12,
            after=6,
        )
        style.paragraph_format.keep_with_next = True
    font("Caption", 9, bold=True, colour=navy, italic=False, before=6, after=4)
    font("List Bullet", 10.5, after=3)
    font("TOC Heading", 16, bold=True, colour=navy, before=0, after=12)
    for name, size in (("Header", 8.5), ("Footer", 8.5)):
        font(name, size, colour=grey)
    source = styles.add_style("Source", WD_STYLE_TYPE.PARAGRAPH)
    source.base_style = normal
    source.font.size, source.font.color.rgb = Pt(8.5), grey
    source.paragraph_format.space_after = Pt(10)
    for name, size, indent in (("TOC 1", 10.5, 0), ("TOC 2", 10.5, 0.6)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        style.paragraph_format.left_indent = Cm(indent)
        style.paragraph_format.space_after = Pt(3)
    action = styles.add_style("Action Title", WD_STYLE_TYPE.PARAGRAPH)
    action.base_style = normal
    action.font.size, action.font.bold, action.font.color.rgb = Pt(12), True, blue
    action.paragraph_format.space_after = Pt(6)
    action.paragraph_format.keep_with_next = True
    text = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = normal
    text.font.size, text.font.color.rgb = Pt(8.5), grey
    text.paragraph_format.space_after = Pt(0)
    text.paragraph_format.line_spacing = 1.0
    ref = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    ref.font.superscript = True
    styles.element.append(docx_parse(TABLE_STYLE))
    _keep_only_used_styles(styles.element)
    # Word 2010's copy of the styles part; later Words ignore it and the paper drops it anyway.
    for rel in list(doc.part.rels.values()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel.rId)
    theme = doc.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    )
    theme._blob = theme_xml(theme.blob.decode()).encode()
    buf = io.BytesIO()
    doc.save(buf)
    return finalise(buf.getvalue(), PROPS, {})


# Styles the paper uses (narrator.render.docx_paper.STYLES and the house ones above), and python-docx's
# paragraph styles a user editing the paper is likely to pick. Word supplies any other built-in style on
# demand from the latent styles, as it does in a new blank document.
USED_STYLES = {
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Bullet",
    "List Number", "List Paragraph", "Quote", "TOC Heading", "TOC 1", "TOC 2", "Header", "Footer", "Source",
    "Action Title", "Footnote Text", "Footnote Reference", "Narrator Table", "Table Grid", "No Spacing",
}  # fmt: skip


def _keep_only_used_styles(styles) -> None:
    """Drop style definitions nobody uses from python-docx's default styles part (hundreds of them, most
    of the part's 350 KB): every paper opens, carries and writes the part. Defaults and the styles the kept
    ones are based on, followed by or linked to stay."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    by_id = {el.get(f"{w}styleId"): el for el in styles.iterchildren(f"{w}style")}
    names = {sid: BabelFish.internal2ui(el.find(f"{w}name").get(f"{w}val")) for sid, el in by_id.items()}
    keep = {sid for sid, el in by_id.items() if names[sid] in USED_STYLES or el.get(f"{w}default") == "1"}
    queue = list(keep)
    while queue:
        el = by_id[queue.pop()]
        for tag in ("basedOn", "next", "link"):
            ref = el.find(f"{w}{tag}")
            target = ref.get(f"{w}val") if ref is not None else None
            if target in by_id and target not in keep:
                keep.add(target)
                queue.append(target)
    for sid, el in by_id.items():
        if sid not in keep:
            styles.remove(el)


# House table: navy header with white bold text, hairline rules between rows, light banding.
TABLE_STYLE = (
    '<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:type="table" '
    'w:customStyle="1" w:styleId="NarratorTable"><w:name w:val="Narrator Table"/>'
    '<w:basedOn w:val="TableNormal"/>'
    '<w:uiPriority w:val="40"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr><w:tblPr><w:tblBorders>'
    '<w:top w:val="single" w:sz="8" w:space="0" w:color="1B2A41"/>'
    '<w:bottom w:val="single" w:sz="8" w:space="0" w:color="1B2A41"/>'
    '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="D9D9D9"/></w:tblBorders>'
    '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="45" '
    'w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr><w:tcPr>'
    '<w:shd w:val="clear" w:color="auto" w:fill="1B2A41"/></w:tcPr></w:tblStylePr>'
    '<w:tblStylePr w:type="band2Horz"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F2F4F7"/></w:tcPr>'
    "</w:tblStylePr></w:style>"
)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "default.pptx").write_bytes(make_pptx())
    (OUT / "default.docx").write_bytes(make_docx())
    print(f"wrote {OUT / 'default.pptx'} and {OUT / 'default.docx'}")


if __name__ == "__main__":
    main()
