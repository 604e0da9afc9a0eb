"""Document properties: a title, no library boilerplate, no stale dates from a library's own template."""

from __future__ import annotations

import re

from lxml import etree

from narrator.check.problem import Problem

STALE = ("python-pptx", "python-docx", "Steve Canny", "Microsoft Office User")
_DATE_FIELDS = ("created", "modified")


def check_metadata(name: str, parts: dict[str, bytes]) -> list[Problem]:
    core = parts.get("docProps/core.xml")
    if core is None:
        return [Problem(name, "docProps/core.xml", "no document properties part; set a title and author")]
    try:
        root = etree.fromstring(core)
    except etree.XMLSyntaxError as exc:
        return [Problem(name, "docProps/core.xml", f"unreadable properties: {exc}")]
    fields = {etree.QName(el).localname: (el.text or "").strip() for el in root}
    problems = []
    if not fields.get("title"):
        problems.append(Problem(name, "docProps/core.xml", "empty document title (screen readers announce it)"))
    for field, value in sorted(fields.items()):
        for stale in STALE:
            if stale.lower() in value.lower():
                problems.append(Problem(name, f"docProps/core.xml {field}", f"library boilerplate {value!r}"))
        if field in _DATE_FIELDS and value.startswith("2013-"):
            problems.append(
                Problem(
                    name,
                    f"docProps/core.xml {field}",
                    f"stale date {value} from a library's default template",
                )
            )
    app = parts.get("docProps/app.xml", b"").decode("utf-8", "replace")
    for stale in STALE:
        if stale.lower() in app.lower():
            problems.append(Problem(name, "docProps/app.xml", f"library boilerplate {stale!r}"))
    if re.search(r"<Application>\s*</Application>", app):
        problems.append(Problem(name, "docProps/app.xml", "empty application name"))
    return problems
