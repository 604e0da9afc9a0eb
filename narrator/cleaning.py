"""Text any document can hold: characters XML 1.0 cannot carry are removed, everything else is kept.

An organisation name, a segment or a value label may arrive with a control character (a bell, a NUL, an
escape pasted from a terminal). Word and PowerPoint files are XML, which cannot hold most C0 controls,
so python-docx and python-pptx refuse such text outright. The Story cleans every string it is given;
tabs, line breaks, right-to-left marks and all other Unicode come back exactly.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL; the two non-characters; lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: object) -> object:
    """``text`` without the characters an Office document cannot hold; non-strings pass unchanged."""
    if isinstance(text, str) and _NOT_XML.search(text):
        return _NOT_XML.sub("", text)
    return text
