"""Two hot spots inside python-pptx and python-docx, removed without changing a result.

1. Compiled XPath. Both libraries answer most property reads (is this shape a placeholder, which run
   properties are set) with ``element.xpath(expression)``, which makes lxml compile the expression on
   every call: a third of the time it takes to build a deck. ``install`` swaps in a method that evaluates
   the same expression, with the same namespace map, through an ``etree.XPath`` compiled the first time
   it is seen. Compiled expressions are kept per thread.
2. Qualified names. Every child lookup turns a prefixed tag ("a:rPr") into Clark notation with ``qn``,
   which python-pptx does by building a string subclass with three attributes: a tenth of a deck's time.
   ``install`` rebinds ``qn`` in the libraries' modules to a memoised version of the same function.
"""

from __future__ import annotations

import sys
import threading
from functools import lru_cache

from lxml import etree

_installed = False
_local = threading.local()


def _compiled(namespaces: dict[str, str], key: str):
    def xpath(self, xpath_str: str):
        cache = getattr(_local, key, None)
        if cache is None:
            cache = {}
            setattr(_local, key, cache)
        found = cache.get(xpath_str)
        if found is None:
            if len(cache) > 4096:  # the libraries use a few hundred fixed expressions; this never fills
                cache.clear()
            found = cache[xpath_str] = etree.XPath(xpath_str, namespaces=namespaces)
        return found(self)

    xpath.__doc__ = "``lxml`` xpath() with the library's namespace map, compiled once per expression."
    return xpath


def install() -> None:
    """Give python-pptx's and python-docx's element base classes the compiled ``xpath`` (idempotent)."""
    global _installed
    if _installed:
        return
    from docx.oxml import xmlchemy as docx_xmlchemy
    from docx.oxml.ns import nsmap as docx_nsmap
    from pptx.oxml import xmlchemy as pptx_xmlchemy
    from pptx.oxml.ns import _nsmap as pptx_nsmap

    pptx_xmlchemy.BaseOxmlElement.xpath = _compiled(pptx_nsmap, "pptx")
    docx_xmlchemy.BaseOxmlElement.xpath = _compiled(docx_nsmap, "docx")
    _memoise_qn()
    _installed = True


def _memoise_qn() -> None:
    """Rebind ``qn`` in every loaded python-pptx, python-docx (and narrator) module to a memoised copy.

    The modules import ``qn`` by name and look it up as a module global at call time, so rebinding the
    global is enough. The result is a plain ``str`` of the same value for the same argument."""
    import docx.oxml  # noqa: F401  (loads every element class module before rebinding)
    import pptx.oxml  # noqa: F401
    from docx.oxml import ns as docx_ns
    from pptx.oxml import ns as pptx_ns

    for original in (pptx_ns.qn, docx_ns.qn):
        cached = lru_cache(maxsize=None)(original)
        for name, module in list(sys.modules.items()):
            if name.split(".")[0] in ("pptx", "docx", "narrator") and getattr(module, "qn", None) is original:
                module.qn = cached
