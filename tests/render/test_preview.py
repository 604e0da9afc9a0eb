"""Previews: LibreOffice to PDF, pdftoppm to PNG, a contact sheet per document."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from narrator.errors import UserError
from narrator.preview import SOFFICE_MISSING, preview_pages
from narrator.render import render_docx, render_pptx


def test_missing_libreoffice_is_a_clear_user_error(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(UserError, match=r"LibreOffice \(soffice\) not found; install libreoffice-impress"):
        preview_pages({"a.pptx": b""}, tmp_path)
    assert SOFFICE_MISSING.endswith("libreoffice-writer")


def test_contact_sheets(tmp_path, story):
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice or pdftoppm is not installed")
    documents = {"pack.pptx": render_pptx(story), "pack.docx": render_docx(story)}
    sheets = preview_pages(documents, tmp_path)
    assert [s.name for s in sheets] == ["pack.pptx.png", "pack.docx.png"]
    slides = sorted((tmp_path / "pack.pptx-pages").glob("*.png"))
    assert len(slides) == 8
    with Image.open(slides[0]) as first, Image.open(sheets[0]) as sheet:
        assert sheet.width > 3 * first.width  # three across
        assert sheet.height > 3 * first.height  # eight slides make three rows
