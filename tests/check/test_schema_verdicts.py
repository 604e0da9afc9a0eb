"""Remembered schema verdicts find what openxml-audit run the plain way finds, on real material.

The oracle is ``OpenXmlValidator().validate(file)`` exactly as openxml-audit ships it; narrator's path
(``narrator.check.schema.validate_package``) must return the same findings in the same order whether its
verdicts are new, in memory or read back from disk, on the samples, the corporate templates in
/work/shared/data/templates/, the test templates and mutated copies of built documents.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import zipfile
from pathlib import Path

import pytest

openxml_audit = pytest.importorskip("openxml_audit")

from narrator.check import check_bytes, schema  # noqa: E402
from narrator.check.package import open_package  # noqa: E402
from narrator.check.problem import kind_of  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CORPORATE = Path("/work/shared/data/templates")
TEST_TEMPLATES = REPO / "tests" / "render" / "data"


def plain(data: bytes, suffix: str, folder: Path) -> list[tuple[str, str, str]]:
    path = folder / f"oracle.{suffix}"
    path.write_bytes(data)
    return [
        (e.error_type.value, e.part_uri, e.description) for e in openxml_audit.OpenXmlValidator().validate(path).errors
    ]


def fresh_memory() -> None:
    """What a new process sees: verdicts only on disk."""
    for namespace in ("bytes", "document", "part", "semantic-part", "schema-block", "semantic-block"):
        schema._store(namespace).forget_memory()


def assert_same_as_oracle(data: bytes, suffix: str, tmp_path: Path) -> list:
    expected = plain(data, suffix, tmp_path)
    assert schema.validate_package(data, suffix) == expected  # new, or remembered from an earlier test
    fresh_memory()
    assert schema.validate_package(data, suffix) == expected  # read back from disk
    assert schema.validate_package(data, suffix) == expected  # from memory
    # The gate's way: on the package it opened (its zip entries and parsed parts), nothing remembered.
    package, _ = open_package(f"document.{suffix}", data, kind_of(f"document.{suffix}"))
    if package is not None:
        with empty_verdict_stores(tmp_path / "opened"):
            assert schema.validate_package(data, suffix, package) == expected
    return expected


@contextlib.contextmanager
def empty_verdict_stores(folder: Path):
    """No verdict in memory or on disk while inside: the validator runs on every part."""
    before = os.environ.get("NARRATOR_CACHE_DIR")
    os.environ["NARRATOR_CACHE_DIR"] = str(folder)
    fresh_memory()
    try:
        yield
    finally:
        if before is None:
            del os.environ["NARRATOR_CACHE_DIR"]
        else:
            os.environ["NARRATOR_CACHE_DIR"] = before
        fresh_memory()


@pytest.fixture(scope="module")
def built() -> dict[str, bytes]:
    """The private-insurer pack rendered (no gate) on the default templates and on a corporate deck."""
    from narrator.pipeline import prepare
    from narrator.render import render_docx, render_pptx

    prepared = prepare(REPO / "samples" / "private-insurer" / "report.yaml")
    story = prepared.story
    documents = {"pptx": render_pptx(story), "docx": render_docx(story)}
    documents["43.pptx"] = render_pptx(story, TEST_TEMPLATES / "brand-43.pptx")
    return documents


def test_built_packs_match_the_oracle(built, tmp_path):
    for name, data in built.items():
        assert_same_as_oracle(data, name.rsplit(".", 1)[-1], tmp_path)


TEMPLATES = sorted(p for folder in (CORPORATE, TEST_TEMPLATES) if folder.is_dir() for p in folder.iterdir())


@pytest.mark.parametrize("path", [p for p in TEMPLATES if p.suffix != ".md"], ids=lambda p: p.name)
def test_templates_match_the_oracle(path, tmp_path):
    # The templates' own findings (31 on the pastel research template, some on the Word ones) included.
    assert_same_as_oracle(path.read_bytes(), path.suffix.lstrip("."), tmp_path)


def mutate(data: bytes, part: str, pattern: str, replacement: str) -> bytes:
    """The package with the first match of ``pattern`` in ``part`` replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == part:
                text = blob.decode("utf-8")
                changed = re.sub(pattern, replacement, text, count=1)
                assert changed != text, f"{pattern!r} not found in {part}"
                blob = changed.encode("utf-8")
            target.writestr(info, blob)
    return out.getvalue()


DECK_MUTATIONS = {
    "unknown element in a slide": ("ppt/slides/slide2.xml", r"<p:spTree>", "<p:spTree><p:bogus/>"),
    "required attribute removed": ("ppt/slides/slide2.xml", r'(<p:cNvPr) id="\d+"', r"\1"),
    "bad attribute value": ("ppt/slides/slide2.xml", r'<a:rPr([^>]*?) lang="[^"]*"', r'<a:rPr\1 sz="big"'),
    "duplicate shape id": ("ppt/slides/slide2.xml", r'(<p:cNvPr id=")\d+(".*?<p:cNvPr id=")\d+', r"\g<1>7\g<2>7"),
    "broken relationship id": ("ppt/slides/slide3.xml", r'r:id="rId\d+"', 'r:id="rId999"'),
    # The slide's markup is unchanged, so its blocks are known: the changed relationships must count.
    "chart relationship dropped": ("ppt/slides/_rels/slide3.xml.rels", r'<Relationship [^>]*/chart"[^>]*/>', ""),
    "master attribute": ("ppt/slideMasters/slideMaster1.xml", r"<p:cSld>", '<p:cSld name="x" bogus="1">'),
    "theme element": ("ppt/theme/theme1.xml", r"<a:themeElements>", "<a:themeElements><a:nonsense/>"),
    "layout relationship dropped": ("ppt/slides/_rels/slide2.xml.rels", r'<Relationship [^>]*slideLayout"[^>]*/>', ""),
    "text only": ("ppt/slides/slide2.xml", r"<a:t>[^<]+</a:t>", "<a:t>Different words, same markup</a:t>"),
    # A slide table's rows are blocks of their own: a changed row is found among known ones.
    "table row attribute": ("ppt/slides/slide13.xml", r'<a:tr h="\d+"', '<a:tr h="tall"'),
    "table cell element": ("ppt/slides/slide13.xml", r"(<a:tr [^>]*>.*?<a:tc>.*?<a:tc>)", r"\1<a:bogus/>"),
    "table grid attribute": ("ppt/slides/slide13.xml", r'<a:gridCol w="\d+"', '<a:gridCol w="wide"'),
}
PAPER_MUTATIONS = {
    "unknown element in the body": ("word/document.xml", r"<w:body>", "<w:body><w:bogus/>"),
    "bad attribute value": ("word/document.xml", r'<w:jc w:val="\w+"', '<w:jc w:val="sideways"'),
    "bad table width": ("word/document.xml", r'<w:tblW ([^>]*)w:w="\d+"', r'<w:tblW \1w:w="wide"'),
    "undefined style": ("word/document.xml", r'<w:pStyle w:val="[^"]+"', '<w:pStyle w:val="NoSuchStyle"'),
    "element out of order": (
        "word/document.xml",
        r"(<w:pPr>)(.*?)(</w:pPr>)",
        r"\1\2<w:jc w:val=\"left\"/><w:keepNext/>\3",
    ),
    "chart relationship dropped": ("word/_rels/document.xml.rels", r'<Relationship [^>]*/chart"[^>]*/>', ""),
    "drawing id not a number": ("word/document.xml", r'(<wp:docPr id=")\d+(")', r"\g<1>abc\2"),
    "styles element": ("word/styles.xml", r"<w:docDefaults>", "<w:docDefaults><w:bogus/>"),
    "numbering attribute": ("word/numbering.xml", r"<w:abstractNum ", '<w:abstractNum w:bogus="1" '),
    "settings element": ("word/settings.xml", r"(<w:settings[^>]*>)", r"\1<w:nonsense/>"),
    "text only": ("word/document.xml", r"<w:t>[^<]+</w:t>", "<w:t>Different words, same markup</w:t>"),
}


@pytest.mark.parametrize(
    ("kind", "mutation"),
    [("pptx", name) for name in DECK_MUTATIONS] + [("docx", name) for name in PAPER_MUTATIONS],
)
def test_mutated_documents_match_the_oracle(built, kind, mutation, tmp_path):
    part, pattern, replacement = (DECK_MUTATIONS if kind == "pptx" else PAPER_MUTATIONS)[mutation]
    schema.validate_package(built[kind], kind)  # every block of the unmutated document is known
    data = mutate(built[kind], part, pattern, replacement)
    found = assert_same_as_oracle(data, kind, tmp_path)
    if mutation != "text only":
        assert found, f"the mutation {mutation!r} should be a finding; the test no longer tests anything"


def test_a_text_only_change_is_answered_without_validating(built, monkeypatch, tmp_path):
    schema.validate_package(built["pptx"], "pptx")
    edited = mutate(built["pptx"], "ppt/slides/slide2.xml", r"<a:t>[^<]+</a:t>", "<a:t>Next month's words</a:t>")

    def validator_runs(*args):
        raise AssertionError("the validator ran for a document whose markup it has seen")

    monkeypatch.setattr(schema, "_validate", validator_runs)
    fresh_memory()
    assert schema.validate_package(edited, "pptx") == []


@pytest.mark.parametrize("kind", ["pptx", "docx"])
def test_only_new_parts_are_validated(built, kind, monkeypatch, tmp_path):
    """A document the validator has not seen has its schema and semantic phases answered for the parts
    it has seen; only the edited part (and, in the paper, the part whose rules read other parts) runs."""
    part, anchor = {"pptx": ("ppt/slides/slide2.xml", "<p:spTree>"), "docx": ("word/settings.xml", "<w:zoom ")}[kind]
    schema.validate_package(mutate(built[kind], part, anchor, anchor.replace("<", "<one/><", 1)), kind)
    schema_runs, semantic_runs = [], []
    validator_class = schema._remembering_validator()
    original = validator_class._schema_errors
    monkeypatch.setattr(
        validator_class,
        "_schema_errors",
        lambda self, package, part: schema_runs.append(part.uri) or original(self, package, part),
    )
    semantic = schema._SharedRules.validate_part
    monkeypatch.setattr(
        schema._SharedRules,
        "validate_part",
        lambda self, part, context, *rest: semantic_runs.append(part.uri) or semantic(self, part, context, *rest),
    )
    edited = mutate(built[kind], part, anchor, anchor.replace("<", "<another/><", 1))
    expected = plain(edited, kind, tmp_path)
    assert "Unexpected element 'another' found" in [description for _kind, _part, description in expected]
    assert schema.validate_package(edited, kind) == expected
    assert schema_runs == ["/" + part]
    # The paper's body and footnotes hold footnotes and their references, whose rules read other parts.
    always = [] if kind == "pptx" else ["/word/document.xml", "/word/footnotes.xml"]
    assert semantic_runs == [*always, "/" + part]


@pytest.mark.parametrize("damage", ["unwritable", "garbage"])
def test_a_cache_that_cannot_be_used_is_only_slower(built, monkeypatch, tmp_path, damage):
    expected = plain(built["docx"], "docx", tmp_path)
    cache = tmp_path / "cache"
    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(cache))
    if damage == "unwritable":
        cache.write_text("a file where the cache folder should be")
    fresh_memory()
    assert schema.validate_package(built["docx"], "docx") == expected
    if damage == "garbage":
        entries = list(cache.rglob("*.json"))
        assert entries, "verdicts should have been written"
        for entry in entries:
            entry.write_text("{not json")
    fresh_memory()
    assert schema.validate_package(built["docx"], "docx") == expected


def test_verdicts_are_keyed_by_the_validators_version(built, monkeypatch):
    schema.validate_package(built["docx"], "docx")
    runs = []
    original = schema._validate
    monkeypatch.setattr(
        schema, "_validate", lambda data, suffix, *rest: runs.append(suffix) or original(data, suffix, *rest)
    )
    monkeypatch.setattr(schema, "validator_version", lambda: "0.0-another")
    schema.validate_package(built["docx"], "docx")
    assert runs == ["docx"]


def test_the_gate_reports_the_oracles_findings(built, tmp_path):
    data = mutate(built["pptx"], "ppt/slides/slide2.xml", r"<p:spTree>", "<p:spTree><p:bogus/>")
    expected = {f"[{kind}] {description}" for kind, _part, description in plain(data, "pptx", tmp_path)}
    found = {p.message for p in check_bytes("pack.pptx", data) if p.message.startswith("[")}
    assert found == expected


def test_the_verdict_store_stays_within_its_bounds(tmp_path, monkeypatch):
    # A batch worker checks thousands of packs and a monthly batch adds thousands of documents a month:
    # the store keeps its newest verdicts, and one read again lately, within its limits.
    import os
    import time

    from narrator.check.verdicts import VerdictStore

    monkeypatch.setattr(VerdictStore, "MEMORY_ENTRIES", 40)
    monkeypatch.setattr(VerdictStore, "DISK_ENTRIES", 256 * 8)  # 8 entries a sub-folder
    monkeypatch.setattr(VerdictStore, "PRUNE_EVERY", 1)
    folder = tmp_path / "store" / "ab"
    store = VerdictStore("test", tmp_path / "store")
    keys = [f"ab{number:062d}" for number in range(200)]
    old = time.time() - 3600
    for number, key in enumerate(keys[:8]):  # a full sub-folder, written an hour ago, oldest first
        store.put(key, [("finding", number)])
        os.utime(folder / f"{key[2:]}.json", (old + number, old + number))
    store.forget_memory()
    assert store.get(keys[0]) == (("finding", 0),)  # the oldest write, read again: now the newest
    store.put(keys[8], [])  # one over the limit: the least recently used go
    assert (folder / f"{keys[0][2:]}.json").exists()
    assert not (folder / f"{keys[1][2:]}.json").exists()
    for key in keys[9:]:
        store.put(key, [])
    assert len(list(folder.glob("*.json"))) <= 8
    assert len(store._memory) <= 40
    store.forget_memory()
    assert store.get(keys[-1]) == ()  # the newest is kept


def test_a_verdict_folder_deleted_mid_run_is_made_again(tmp_path):
    import shutil

    from narrator.check.verdicts import VerdictStore

    store = VerdictStore("test", tmp_path / "store")
    store.put("ab" + "1" * 62, [])
    shutil.rmtree(tmp_path / "store")  # "deleting the folder is always safe", even while a batch runs
    store.put("ab" + "2" * 62, [("finding",)])
    store.forget_memory()
    assert store.get("ab" + "2" * 62) == (("finding",),)


def test_a_new_pack_on_the_same_structure_reopens_without_reopening(built, monkeypatch):
    # Next month's pack differs in its slides' words, figures and markup, and its charts' workbooks:
    # python-pptx's answer on the same structure stands. A change of relationships or content types,
    # or a part past the libraries' parser limits, is opened again.
    from narrator.check import package as package_module
    from narrator.check.package import check_reopens, open_package

    reopened = []
    real = package_module._reopen
    monkeypatch.setattr(package_module, "_reopen", lambda data, kind: reopened.append(kind) or real(data, kind))

    def reopen(data):
        package, problems = open_package("deck.pptx", data, "pptx")
        assert package is not None
        assert problems == []
        return check_reopens("deck.pptx", data, "pptx", package)

    assert reopen(built["pptx"]) == []
    count = len(reopened)
    edited = mutate(built["pptx"], "ppt/slides/slide2.xml", r"<a:t>[^<]+</a:t>", "<a:t>Next month's words</a:t>")
    assert reopen(edited) == []
    assert len(reopened) == count
    restyled = mutate(built["pptx"], "ppt/slides/slide2.xml", r"<a:t>", '<a:t xml:space="preserve">')
    assert reopen(restyled) == []
    assert len(reopened) == count
    workbook = next(name for name in zipfile.ZipFile(io.BytesIO(built["pptx"])).namelist() if name.endswith(".xlsx"))
    assert reopen(replace_part(built["pptx"], workbook, b"not a workbook")) == []
    assert len(reopened) == count
    relinked = mutate(built["pptx"], "ppt/slides/_rels/slide2.xml.rels", r'Id="rId1"', 'Id="rId77"')
    assert reopen(relinked) == []
    assert len(reopened) == count + 1


def replace_part(data: bytes, part: str, blob: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, blob if info.filename == part else source.read(info))
    return out.getvalue()


def deeply_nested(data: bytes, part: str, depth: int = 300) -> bytes:
    """``part`` with an element nested past libxml2's default depth limit (256) before its root closes:
    huge_tree parsing reads it, python-pptx's and python-docx's parsers do not."""
    text = zipfile.ZipFile(io.BytesIO(data)).read(part).decode("utf-8")
    close = text.rindex("</")
    deep = "<x:deep xmlns:x='urn:deep'>" + "<x:in>" * depth + "</x:in>" * depth + "</x:deep>"
    return replace_part(data, part, (text[:close] + deep + text[close:]).encode("utf-8"))


REOPEN_MUTATIONS = {
    "pptx": {
        "slide nested past the parser's depth": lambda data: deeply_nested(data, "ppt/slides/slide2.xml"),
        "layout nested past the parser's depth": lambda data: deeply_nested(data, "ppt/slideLayouts/slideLayout1.xml"),
        "slide relationship to a missing part": lambda data: mutate(
            data, "ppt/slides/_rels/slide2.xml.rels", r'Target="[^"]*slideLayout', 'Target="../slideLayouts/none'
        ),
        "slide given a binary content type": lambda data: mutate(
            data, "[Content_Types].xml", r'(PartName="/ppt/slides/slide2.xml" ContentType=")[^"]*', r"\1image/png"
        ),
        "workbook garbled": lambda data: replace_part(
            data,
            next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith(".xlsx")),
            b"garbage",
        ),
        "slide markup changed": lambda data: mutate(
            data, "ppt/slides/slide2.xml", r"<p:spTree>", "<p:spTree><p:bogus/>"),
    },
    "docx": {
        "document nested past the parser's depth": lambda data: deeply_nested(data, "word/document.xml"),
        "styles nested past the parser's depth": lambda data: deeply_nested(data, "word/styles.xml"),
        "document relationship to a missing part": lambda data: mutate(
            data, "word/_rels/document.xml.rels", r'Target="styles.xml"', 'Target="none.xml"'
        ),
        "workbook garbled": lambda data: replace_part(
            data,
            next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith(".xlsx")),
            b"garbage",
        ),
        "document markup changed": lambda data: mutate(data, "word/document.xml", r"<w:body>", "<w:body><w:bogus/>"),
    },
}


@pytest.mark.parametrize(
    ("kind", "mutation"), [(kind, name) for kind, mutations in REOPEN_MUTATIONS.items() for name in mutations]
)
def test_reopening_answers_as_the_libraries_do(built, kind, mutation):
    # The oracle: python-pptx or python-docx opening the bytes, nothing remembered. The unmutated
    # document's answer is remembered first, so a mutation it would wrongly stand for shows.
    from narrator.check.package import _reopen, check_reopens, open_package

    name = f"deck.{kind}"
    package, _ = open_package(name, built[kind], kind)
    assert check_reopens(name, built[kind], kind, package) == []
    data = REOPEN_MUTATIONS[kind][mutation](built[kind])
    package, problems = open_package(name, data, kind)
    assert package is not None
    assert problems == []
    expected = _reopen(data, kind)
    assert [p.message for p in check_reopens(name, data, kind, package)] == expected
    if "depth" in mutation:
        assert expected, f"the mutation {mutation!r} should stop the library; the test no longer tests anything"


def recorded_puts(monkeypatch, namespace: str) -> list[str]:
    """The keys put into a verdict store from now on."""
    store, puts = schema._store(namespace), []
    original = store.put
    monkeypatch.setattr(store, "put", lambda key, findings: puts.append(key) or original(key, findings))
    return puts


def test_a_new_document_validates_only_its_new_blocks(built, monkeypatch, tmp_path):
    """Next month's deck, in a new process: the slide whose chart is described anew has one new block (the
    chart's frame); its other blocks were validated clean last month and are read back from disk."""
    edited = mutate(built["pptx"], "ppt/slides/slide3.xml", r'descr="[^"]*"', 'descr="Next month\'s chart, described"')
    expected = plain(edited, "pptx", tmp_path)
    # Last month validated in an empty store: an earlier test's verdict on the same deck, still in this
    # process's memory, would skip the validation that writes its blocks to disk.
    with empty_verdict_stores(tmp_path / "last-month"):
        schema.validate_package(built["pptx"], "pptx")
        fresh_memory()
        schema_puts = recorded_puts(monkeypatch, "schema-block")
        semantic_puts = recorded_puts(monkeypatch, "semantic-block")
        assert schema.validate_package(edited, "pptx") == expected
    assert len(schema_puts) == 1  # the chart's frame, validated and found clean: every other block was known
    assert len(semantic_puts) == 1


@pytest.mark.parametrize("kind", ["pptx", "docx"])
def test_a_new_document_with_an_error_among_known_blocks(built, kind, tmp_path):
    """A mutation in one block of a new document, every other block known from disk: the oracle's findings."""
    part, pattern, replacement = {
        "pptx": DECK_MUTATIONS["table cell element"],
        "docx": PAPER_MUTATIONS["bad attribute value"],
    }[kind]
    schema.validate_package(built[kind], kind)
    fresh_memory()
    edited = mutate(built[kind], part, pattern, replacement)
    expected = plain(edited, kind, tmp_path)
    assert expected, "the mutation should be a finding"
    assert schema.validate_package(edited, kind) == expected


def test_a_block_clean_in_one_setting_is_validated_in_another(built, tmp_path):
    """A paragraph holding an element of a namespace the document declares ignorable is clean; the same
    paragraph, byte for byte, in a document that does not ignore that namespace is an error. Its clean
    verdict, on disk from the first document, must not answer for the second."""
    declared = 'xmlns:zz="urn:narrator:test" mc:Ignorable="w14 wp14 zz"'
    ignoring = mutate(built["docx"], "word/document.xml", 'mc:Ignorable="w14 wp14"', declared)
    ignoring = mutate(ignoring, "word/document.xml", '<w:pStyle w:val="Title"/>', '<w:pStyle w:val="Title"/><zz:note/>')
    strict = mutate(ignoring, "word/document.xml", 'mc:Ignorable="w14 wp14 zz"', 'mc:Ignorable="w14 wp14"')
    assert schema.validate_package(ignoring, "docx") == plain(ignoring, "docx", tmp_path) == []
    fresh_memory()
    expected = plain(strict, "docx", tmp_path)
    assert ("schema", "/word/document.xml", "Unexpected element 'note' found") in expected
    assert schema.validate_package(strict, "docx") == expected


def test_a_paper_loads_only_the_word_rules(built, tmp_path):
    """The PowerPoint rules take a tenth of a second to make: a process checking a paper never makes them."""
    import os
    import subprocess
    import sys

    (tmp_path / "paper.docx").write_bytes(built["docx"])
    probe = (
        "import gc, sys; from narrator.check import schema; "
        "schema.validate_package(open(sys.argv[1], 'rb').read(), 'docx'); "
        "print(sorted(o.name for o in gc.get_objects() if isinstance(o, schema._SharedRules)))"
    )
    env = {**os.environ, "NARRATOR_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "paper.docx")], env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert out.split() == ["['semantic-word']"]


def _caches_by_fields(value, depth: int = 0) -> list[dict]:
    """The rule caches found the slow way, through dataclasses.fields on every constraint."""
    import dataclasses

    if depth > 8:
        return []
    if isinstance(value, (list, tuple)):
        return [cache for item in value for cache in _caches_by_fields(item, depth + 1)]
    if not dataclasses.is_dataclass(value):
        return []
    found = [c for name in ("_value_cache", "_count_cache") if isinstance(c := getattr(value, name, None), dict)]
    for field in dataclasses.fields(value):
        if not field.name.startswith("_"):
            found += _caches_by_fields(getattr(value, field.name), depth + 1)
    return found


@pytest.mark.parametrize("kind", ["pptx", "word"])
def test_the_shared_rules_find_every_cache_and_cross_part_rule(kind):
    from openxml_audit.semantic import validator as semantic

    rules = getattr(semantic, f"create_{kind}_semantic_validator")()
    shared = schema._SharedRules(kind, rules)
    expected = [cache for constraints in rules._constraints.values() for cache in _caches_by_fields(constraints)]
    assert [id(cache) for cache in shared._caches] == [id(cache) for cache in expected]
    assert shared._cross_tags == tuple(tag for tag, cs in rules._constraints.items() if "CrossPart" in repr(cs))
    assert shared._cross_tags, "no cross-part rule left: the test no longer tests anything"
    assert expected, "no rule cache left: the test no longer tests anything"
