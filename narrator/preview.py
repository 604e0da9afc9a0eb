"""Page previews: documents to PDF with LibreOffice, pages to PNG with pdftoppm, one contact sheet each."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from narrator.errors import OutputError, UserError

SOFFICE_MISSING = "LibreOffice (soffice) not found; install libreoffice-impress and libreoffice-writer"
PDFTOPPM_MISSING = "pdftoppm not found; install poppler-utils"
TIMEOUT_S = 180
DPI = 60
_ACROSS = {"pptx": 3, "docx": 4}  # slides tile three across, pages four
_GAP = 12


def preview_pages(documents: Mapping[str, bytes] | Iterable[str | Path], out_dir: Path) -> list[Path]:
    """A contact-sheet PNG per .pptx/.docx (``<stem>.<kind>.png`` in ``out_dir``); returns their paths.

    ``documents`` is a mapping of file names to bytes (a build's in-memory output) or paths to files.
    The page PNGs are kept beside each sheet in ``<stem>.<kind>-pages/``.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UserError(SOFFICE_MISSING)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise UserError(PDFTOPPM_MISSING)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the preview folder ({exc.strerror})") from exc
    sheets = []
    with tempfile.TemporaryDirectory(prefix="narrator-preview-") as tmp:
        work = Path(tmp)
        for name, data in _items(documents):
            kind = Path(name).suffix.lstrip(".").lower()
            if kind not in _ACROSS:
                continue
            stem = Path(name).stem
            # A folder per document: a deck and a paper of the same name would write the same PDF name.
            folder = work / kind
            folder.mkdir(exist_ok=True)
            source = folder / f"{stem}.{kind}"
            source.write_bytes(data)
            pdf = _to_pdf(soffice, source, work / "profile")
            pages_dir = out_dir / f"{stem}.{kind}-pages"
            if pages_dir.exists():
                shutil.rmtree(pages_dir)
            pages_dir.mkdir()
            pages = _to_png(pdftoppm, pdf, pages_dir)
            sheet = out_dir / f"{stem}.{kind}.png"
            contact_sheet(pages, _ACROSS[kind], sheet)
            sheets.append(sheet)
    return sheets


def _items(documents) -> list[tuple[str, bytes]]:
    if isinstance(documents, Mapping):
        return [(str(name), data) for name, data in documents.items()]
    items = []
    for path in map(Path, documents):
        if not path.is_file():
            raise UserError(f"{path}: file not found; give the path of a built .pptx or .docx")
        items.append((str(path), path.read_bytes()))
    return items


def _to_pdf(soffice: str, source: Path, profile: Path) -> Path:
    # A private profile: parallel runs (and a desktop LibreOffice already open) do not lock each other out.
    command = [
        soffice,
        "--headless",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(source.parent),
        str(source),
    ]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise UserError(f"{source.name}: LibreOffice took longer than {TIMEOUT_S} s to convert it") from exc
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise UserError(f"{source.name}: LibreOffice could not convert it ({detail[0]})") from exc
    pdf = source.with_suffix(".pdf")
    if not pdf.is_file():
        raise UserError(
            f"{source.name}: LibreOffice produced no PDF; open the file in LibreOffice to see why"
        )
    return pdf


def _to_png(pdftoppm: str, pdf: Path, folder: Path) -> list[Path]:
    try:
        subprocess.run(
            [pdftoppm, "-r", str(DPI), "-png", str(pdf), str(folder / "page")],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_S,
        )
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:
        raise UserError(f"{pdf.name}: pdftoppm could not render its pages ({exc})") from exc
    return sorted(folder.glob("page-*.png"))


def contact_sheet(pages: list[Path], across: int, out: Path) -> Path:
    """Tile page images ``across`` per row on a grey ground, in page order."""
    from PIL import Image

    images = [Image.open(p).convert("RGB") for p in pages]
    if not images:
        raise UserError(f"{out.name}: the document rendered no pages")
    w = max(i.width for i in images)
    h = max(i.height for i in images)
    rows = -(-len(images) // across)
    columns = min(across, len(images))
    sheet = Image.new("RGB", (columns * (w + _GAP) + _GAP, rows * (h + _GAP) + _GAP), (128, 128, 128))
    for n, image in enumerate(images):
        sheet.paste(image, (_GAP + (n % across) * (w + _GAP), _GAP + (n // across) * (h + _GAP)))
        image.close()
    sheet.save(out, optimize=True)
    return out
