"""Build the client-style reference templates the render tests use (tests/render/data/).

Run from the repository root: ``python tools/make_test_templates.py``. The output is byte-identical on
every run. Two brands that differ from narrator's default in every way a client template does:

* ``brand-43.pptx`` / ``brand-43.docx``: 4:3 slides, layouts renamed ("Titel", "Inhalt"), Cambria headings
  and Times New Roman body, a green palette; the Word file is US Letter and lacks the Caption and
  List Bullet styles, so narrator must add them.
* ``brand-169.potx`` / ``brand-169.dotx``: template content types, 16:9, layouts named "Cover" and
  "Content", a plum and teal palette, a logo picture on the slide master and in the Word header.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import docx
from docx.shared import Inches, Pt, RGBColor
from PIL import Image, ImageDraw
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.shapes.picture import CT_Picture
from pptx.util import Emu

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from narrator.render.ooxml import finalise  # noqa: E402
from narrator.tell.story import DocumentProperties  # noqa: E402

OUT = ROOT / "tests" / "render" / "data"
DEFAULT_PPTX = ROOT / "templates" / "reference" / "default.pptx"
PROPS = DocumentProperties(
    title="Brand template", subject="", author="Brand team", company="", created="2024-06-01"
)

GREEN = {
    "dk2": "173F35",
    "lt2": "EEF3EF",
    "accent1": "2E7D5B",
    "accent2": "9CC5A1",
    "accent3": "D98E04",
    "accent4": "49A078",
    "accent5": "B23A48",
    "accent6": "6B7B8C",
}
PLUM = {
    "dk2": "3B1F4A",
    "lt2": "F1ECF4",
    "accent1": "6A2C91",
    "accent2": "1F9E9A",
    "accent3": "F2A541",
    "accent4": "8FB8DE",
    "accent5": "C0392B",
    "accent6": "8C8C8C",
}


def _theme(xml: str, palette: dict[str, str], major: str, minor: str, name: str) -> str:
    for slot, rgb in palette.items():
        xml = re.sub(
            rf"<a:{slot}>.*?</a:{slot}>",
            f'<a:{slot}><a:srgbClr val="{rgb}"/></a:{slot}>',
            xml,
            count=1,
            flags=re.S,
        )
    xml = re.sub(r'(<a:majorFont>\s*<a:latin typeface=")[^"]*"', rf'\g<1>{major}"', xml, count=1)
    xml = re.sub(r'(<a:minorFont>\s*<a:latin typeface=")[^"]*"', rf'\g<1>{minor}"', xml, count=1)
    return re.sub(r'(<a:theme [^>]*name=")[^"]*"', rf"\g<1>{name}\"", xml, count=1)


def _retheme(
    blob: bytes, prefix: str, palette, major: str, minor: str, name: str, template_type=None
) -> bytes:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    for part in entries:
        if part.startswith(f"{prefix}/theme/") and part.endswith(".xml"):
            entries[part] = _theme(entries[part].decode("utf-8"), palette, major, minor, name).encode("utf-8")
    if template_type:
        main, template = template_type
        entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(main, template)
    return finalise(_zip(entries), PROPS, {})


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def logo_png() -> bytes:
    """A small wordmark: a plum square with a teal bar, drawn so no binary asset needs committing."""
    image = Image.new("RGB", (240, 80), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 79, 79), fill=(0x6A, 0x2C, 0x91))
    draw.rectangle((96, 28, 239, 52), fill=(0x1F, 0x9E, 0x9A))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _save(prs) -> bytes:
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def make_pptx_43() -> bytes:
    """python-pptx's own 4:3 template, renamed into German layout names, in Cambria and Times."""
    prs = Presentation()
    names = {
        "Title Slide": "Titel",
        "Title and Content": "Inhalt",
        "Section Header": "Abschnitt",
        "Two Content": "Zwei Inhalte",
        "Comparison": "Vergleich",
        "Title Only": "Nur Titel",
        "Blank": "Leer",
    }
    for layout in prs.slide_layouts:
        layout.name = names.get(layout.name, layout.name)
    return _retheme(_save(prs), "ppt", GREEN, "Cambria", "Times New Roman", "Grün")


def make_pptx_169() -> bytes:
    """narrator's 16:9 default, re-branded: layouts "Cover" and "Content", a logo on the master."""
    prs = Presentation(str(DEFAULT_PPTX))
    names = {"Title Slide": "Cover", "Title and Content": "Content", "Section Header": "Divider"}
    for layout in prs.slide_layouts:
        layout.name = names.get(layout.name, layout.name)
    master = prs.slide_master
    logo_room = Emu(int(1.5 * 914400))  # as brand teams do: the title stops short of the logo
    for owner in [master, *prs.slide_layouts]:
        for shape in owner.placeholders:
            if shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                if shape.top < 914400 and shape.width:
                    shape.width = shape.width - logo_room
    _, rid = master.part.get_or_add_image_part(io.BytesIO(logo_png()))
    cx, cy = Emu(int(1.2 * 914400)), Emu(int(0.4 * 914400))
    pic = CT_Picture.new_pic(
        90, "Logo", "Plum Services logo", rid, prs.slide_width - cx - 457200, 91440, cx, cy
    )
    master.shapes._spTree.append(pic)
    return _retheme(
        _save(prs),
        "ppt",
        PLUM,
        "Calibri",
        "Calibri",
        "Plum",
        (b"presentationml.presentation.main+xml", b"presentationml.template.main+xml"),
    )


def make_docx_43() -> bytes:
    """US Letter, Cambria headings on Times New Roman, without the Caption and List Bullet styles."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(1)
    styles = document.styles
    styles["Normal"].font.name = "Times New Roman"
    styles["Normal"].font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2"):
        styles[name].font.name = "Cambria"
        styles[name].font.color.rgb = RGBColor(0x17, 0x3F, 0x35)
    for name in ("Caption", "List Bullet"):
        styles[name].element.getparent().remove(styles[name].element)
    section.header.paragraphs[0].text = "Green Mutual"
    return _retheme(_save(document), "word", GREEN, "Cambria", "Times New Roman", "Grün")


def make_docx_169() -> bytes:
    """A4 with a logo in the header and plum headings, saved as a Word template (.dotx)."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.27), Inches(11.69)
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    for name in ("Title", "Heading 1", "Heading 2"):
        styles[name].font.color.rgb = RGBColor(0x6A, 0x2C, 0x91)
    run = section.header.paragraphs[0].add_run()
    run.add_picture(io.BytesIO(logo_png()), width=Inches(1.2))
    for doc_pr in section.header._element.iter("{*}docPr"):
        doc_pr.set("descr", "Plum Services logo")
    return _retheme(
        _save(document),
        "word",
        PLUM,
        "Calibri",
        "Calibri",
        "Plum",
        (b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"),
    )


TEMPLATES = {
    "brand-43.pptx": make_pptx_43,
    "brand-169.potx": make_pptx_169,
    "brand-43.docx": make_docx_43,
    "brand-169.dotx": make_docx_169,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in TEMPLATES.items():
        (OUT / name).write_bytes(make())
        print(OUT / name)


if __name__ == "__main__":
    main()
