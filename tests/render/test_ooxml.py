"""A package's members as written in memory are the ones python-pptx and python-docx save."""

from __future__ import annotations

import io
import zipfile

import docx
from pptx import Presentation

from narrator.render import render_docx, render_pptx
from narrator.render.ooxml import package_entries


def _saved(document) -> dict[str, bytes]:
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(out) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def test_deck_members_are_what_python_pptx_saves(story):
    deck = Presentation(io.BytesIO(render_pptx(story)))
    ours = package_entries(deck.part.package)
    theirs = _saved(deck)
    assert list(ours) == list(theirs)  # content types, package rels, then the parts in python-pptx's order
    assert ours == theirs


def test_paper_members_are_what_python_docx_saves(story):
    paper = docx.Document(io.BytesIO(render_docx(story)))
    ours = package_entries(paper.part.package)
    theirs = _saved(paper)
    assert ours["[Content_Types].xml"] == theirs["[Content_Types].xml"]
    assert ours == theirs
