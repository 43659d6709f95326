"""Documents in and out: .docx and .html releases keep their structure and inline
formatting through `mt translate`; bad documents give one-line errors.

The tests build their documents with python-docx and by hand (HTML); the models are
the tiny ones from conftest (trained_nllb reproduces tests/data/e2e/pairs.tsv, so
sentences without inline tags translate exactly)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from mt import tags
from mt.cli import cli
from mt.formats import html
from mt.inline.spans import restore
from mt.types import Span

TITLE, HEADING = "Жаңа мектеп ашылды", "Бүгін қалада жаңа мектеп ашылды."
PUPILS, PARENTS = "Мектепте бес жүз оқушы оқиды.", "Салтанатты шараға ата-аналар қатысты."
EN = {TITLE: "New school opened", HEADING: "A new school opened in the city today.",
      PUPILS: "Five hundred pupils study at the school.", PARENTS: "Parents attended the ceremony.",
      "Олар мұғалімдерді құттықтады.": "They congratulated the teachers."}
SCRIPT = '<script>var s = "<b>Бүгін</b>";\nif (a < b && c > d) { alert("Мектеп"); }</script>'


def translate(path: Path, model, out: Path, *extra: str, to: str = "en"):
    return CliRunner().invoke(cli, ["translate", str(path), "--to", to, "--model", str(model), "--out", str(out),
                                    "--no-glossary", "--no-tm", *extra])


def _link(paragraph, url: str, text: str) -> None:
    """python-docx has no API for adding hyperlinks: the usual relationship + element."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = text
    run.append(text_el)
    link.append(run)
    paragraph._p.append(link)


def _page_field(paragraph) -> None:
    """A PAGE field: begin, instruction, separate, result "1", end (as Word writes it)."""
    def run_with(tag: str, **attrs) -> None:
        element = OxmlElement(tag)
        for name, value in attrs.items():
            element.set(qn(name), value)
        if tag == "w:instrText":
            element.text = " PAGE "
        paragraph.add_run()._r.append(element)

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    run_with("w:instrText")
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run("1")
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_heading(HEADING, level=1)
    paragraph = document.add_paragraph("Мектепте ")
    paragraph.add_run("бес жүз").bold = True
    paragraph.add_run(" оқушы оқиды. Салтанатты шараға ")
    _link(paragraph, "https://example.kz/parents", "ата-аналар")
    paragraph.add_run(" қатысты.")
    document.add_paragraph("Олар мұғалімдерді құттықтады.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in zip([(0, 0), (0, 1), (1, 0), (1, 1)], [TITLE, PUPILS, PARENTS, HEADING]):
        table.cell(r, c).text = text
    document.sections[0].header.paragraphs[0].text = TITLE
    document.sections[0].footer.paragraphs[0].text = PARENTS
    _page_field(document.sections[0].footer.add_paragraph("Бет "))
    document.save(path)
    return path


def test_docx_keeps_structure_bold_and_link(trained_nllb, tmp_path):
    source = make_docx(tmp_path / "release.kk.docx")
    out = tmp_path / "out"
    result = translate(source, trained_nllb, out, to="de,en")
    assert result.exit_code == 0, result.output
    original = docx.Document(source)
    for lang in ("de", "en"):
        translated = docx.Document(out / f"release.{lang}.docx")
        styles = [p.style.name for p in translated.paragraphs]
        assert styles[:-1] == [p.style.name for p in original.paragraphs]  # then the machine-translation note
        assert "CC-BY-NC" not in translated.paragraphs[-1].text  # a local model: licence "not recorded"
        assert "not recorded" in translated.paragraphs[-1].text and str(trained_nllb) in translated.paragraphs[-1].text
        props = translated.core_properties
        assert props.language == lang and "mt" in props.comments and props.content_status == "machine translation draft"
        body = translated.paragraphs[2]
        bold = [r.text for r in body.runs if r.bold]
        assert len(bold) == 1 and bold[0].strip(), [(r.text, r.bold) for r in body.runs]
        assert [h.address for h in body.hyperlinks] == ["https://example.kz/parents"]
        assert body.hyperlinks[0].text.strip()
        assert not re.search(r"Z[BEM]\d", body.text)  # no tag left behind
    english = docx.Document(out / "release.en.docx")
    assert [p.text for p in english.paragraphs[:2]] == [EN[TITLE], EN[HEADING]]
    assert english.paragraphs[3].text == EN["Олар мұғалімдерді құттықтады."]
    assert [[c.text for c in row.cells] for row in english.tables[0].rows] == [
        [EN[TITLE], EN[PUPILS]], [EN[PARENTS], EN[HEADING]]]
    assert english.sections[0].header.paragraphs[0].text == EN[TITLE]
    assert english.sections[0].footer.paragraphs[0].text == EN[PARENTS]
    page = english.sections[0].footer.paragraphs[1]._p  # the field is copied back whole
    assert [el.get(qn("w:fldCharType")) for el in page.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    assert [el.text for el in page.iter(qn("w:instrText"))] == [" PAGE "]
    rows = [json.loads(line) for line in (out / "release.align.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in rows][:4] == [TITLE, HEADING, PUPILS, PARENTS]  # plain sentences, no tags
    assert "ZB" not in json.dumps(rows, ensure_ascii=False)
    report = json.loads((out / "release.qa.json").read_text(encoding="utf-8"))
    # Only the sentences with a bold word, a link or the page field had tags to lose.
    tagged = {f["segment"] for f in report["findings"] if f["check"] == "inline-tag"}
    assert rows[-1]["source"] == "Бет 1" and tagged <= {2, 3, rows[-1]["segment"]}


def test_tags_the_model_keeps_follow_the_words(train_nllb, tmp_path):
    """A model that learnt to carry the tags (as NLLB-200 copies ZX placeholders):
    the bold run lands on the translated words even where English moves them."""
    model = train_nllb([
        (TITLE, {"en": EN[TITLE]}),
        ("Мектепте ZB1 бес жүз ZE1 оқушы оқиды.", {"en": "ZB1 Five hundred ZE1 pupils study at the school."}),
    ], langs=("en",))
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    paragraph = document.add_paragraph("Мектепте ")
    paragraph.add_run("бес жүз").bold = True
    paragraph.add_run(" оқушы оқиды.")
    document.save(tmp_path / "r.kk.docx")
    result = translate(tmp_path / "r.kk.docx", model, tmp_path / "out")
    assert result.exit_code == 0, result.output
    body = docx.Document(tmp_path / "out" / "r.en.docx").paragraphs[1]
    assert [(r.text, bool(r.bold)) for r in body.runs] == [("Five hundred", True), (" pupils study at the school.",
                                                                                     False)]
    report = json.loads((tmp_path / "out" / "r.qa.json").read_text(encoding="utf-8"))
    assert not [f for f in report["findings"] if f["check"] == "inline-tag"]


PAGE = f"""<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>{TITLE}</title>
<style>h1 {{ color: #123; }} /* Мектеп */</style></head>
<body>
<h1>{TITLE}</h1>
<p>{HEADING} Мектепте <b>бес жүз</b> оқушы оқиды.</p>
<ul><li>Салтанатты шараға <a href="https://example.kz/parents" title="{TITLE}">ата-аналар</a> қатысты.</li>
<li>Олар мұғалімдерді құттықтады.</li></ul>
<table><tr><td>{PUPILS}</td><td><img src="school.png" alt="{TITLE}"></td></tr></table>
<p>Команда: <code>mt translate release.kk.txt</code> іске қосылды.</p>
<pre>Бүгін   қалада
жаңа мектеп</pre>
{SCRIPT}
</body></html>
"""


def test_html_keeps_markup_and_scripts(trained_nllb, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = translate(page, trained_nllb, out)
    assert result.exit_code == 0, result.output
    text = (out / "page.en.html").read_text(encoding="utf-8")
    assert SCRIPT in text  # byte for byte
    assert "<pre>Бүгін   қалада\nжаңа мектеп</pre>" in text and "<code>mt translate release.kk.txt</code>" in text
    assert "h1 { color: #123; } /* Мектеп */" in text
    root = lxml.html.document_fromstring(text)
    assert root.get("lang") == "en"
    assert root.findtext("head/title") == EN[TITLE] and root.findtext("body/h1") == EN[TITLE]
    assert [li.text_content() for li in root.iter("li")][1] == EN["Олар мұғалімдерді құттықтады."]
    assert root.find(".//td").text == EN[PUPILS]
    assert root.find(".//img").get("alt") == EN[TITLE] and root.find(".//img").get("src") == "school.png"
    link = root.find(".//a")
    assert link.get("href") == "https://example.kz/parents" and link.get("title") == EN[TITLE]
    assert link.text_content().strip()
    bold = root.find(".//p/b")
    assert bold is not None and bold.text_content().strip()
    assert root.find(".//p").text_content().startswith(EN[HEADING])
    assert _structure(root) == _structure(lxml.html.document_fromstring(PAGE))  # same elements, same order
    note = root.find(".//meta[@name='mt-machine-translation']")
    assert note is not None and "Machine translated" in note.get("content")


def _structure(tree) -> list[str]:
    """Block-level elements in document order (the note mt adds left out)."""
    return [e.tag for e in tree.iter() if isinstance(e.tag, str) and e.tag not in html.INLINE
            and e.get("name") != "mt-machine-translation"]


@pytest.mark.parametrize("data,needle", [
    (b"just some text, not a zip", "not a zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64,
     "password-protected"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "Word 97-2003"),
    (b"PK\x03\x04broken", "broken zip"),
    ("zip-bomb", "zip bomb"),
    ("not-word", "not a Word document"),
])
def test_bad_docx_one_line(data, needle, tmp_path):
    path = tmp_path / "release.docx"
    if data == "zip-bomb":  # 8 MiB of zeros compress about 1000:1
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", b"\0" * (8 * 2**20))
        data = buffer.getvalue()
    elif data == "not-word":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        data = buffer.getvalue()
    path.write_bytes(data)
    _one_line_error(path, needle, tmp_path)


def _one_line_error(path: Path, needle: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = translate(path, "/nonexistent-model", out)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mt: error:") and str(path) in lines[0], result.output
    assert needle in lines[0] and "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("data,needle", [
    (PAGE.encode("kz1048"), "not utf-8 text (<meta charset=utf-8>)"),
    (PAGE.replace('<meta charset="utf-8">', "").encode("kz1048"), "no <meta charset>, so UTF-8"),
    (PAGE.replace('charset="utf-8"', 'charset="x-kazakh-7"').encode(), "unknown character encoding 'x-kazakh-7'"),
])
def test_bad_html_encoding_one_line(data, needle, tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(data)
    _one_line_error(path, needle, tmp_path)


def test_html_in_its_declared_encoding_is_read(tmp_path):
    from mt.formats import read_release

    path = tmp_path / "page.html"
    path.write_bytes(PAGE.replace('charset="utf-8"', 'charset="kz-1048"').encode("kz1048"))
    document = read_release(path)
    assert document.title == TITLE and document.paragraphs[1] == f"{HEADING} Мектепте бес жүз оқушы оқиды."
    assert "Бүгін" not in " ".join(document.paragraphs[-3:])  # pre, code and script are not text to translate


# -- restoring tags (the mechanism, on given model outputs) --------------------------

SENTENCE = "Бүгін Ақтөбеде кездесу өтті, код pip install."
SPANS = [Span(6, 14, 0), Span(33, 44, 1, mask=True)]


def test_tags_are_sent_and_taken_out():
    tagged = tags.tag_sentence(SENTENCE, SPANS)
    assert tagged.text == "Бүгін ZB1 Ақтөбеде ZE1 кездесу өтті, код ZM2."
    text, spans, repairs = restore("Today ZB1 Aktobe ZE1 hosted a meeting, code ZM2.", tagged)
    assert text == "Today Aktobe hosted a meeting, code pip install."
    assert [text[s.start:s.end] for s in spans] == ["Aktobe", "pip install"] and not repairs


@pytest.mark.parametrize("output,anchors,expected,how", [
    ("Today Aktobe hosted a meeting, code ZM2.", [(6, 14, 6, 12)], "Aktobe", "glossary"),
    ("Today ZB1 Aktobe hosted a meeting, code ZM2.", [], "Aktobe", "open-tag"),
    ("Today Aktobe ZE1 hosted a meeting, code ZM2.", [], "Aktobe", "close-tag"),
    ("Ақтөбеде today: ZE1 ZB1 a meeting, code ZM2.", [], "a", "open-tag"),  # wrong order
    ("Meeting in Aktobe today, code ZM2.", [], "in", "position"),
])
def test_a_lost_tag_is_put_back_and_reported(output, anchors, expected, how):
    text, spans, repairs = restore(output, tags.tag_sentence(SENTENCE, SPANS), anchors)
    assert "ZB" not in text and "ZE" not in text and "pip install" in text
    assert text[spans[0].start:spans[0].end] == expected
    assert [(r.span.mark, r.how) for r in repairs] == [(0, how)]


def test_lost_masked_content_comes_back():
    text, spans, repairs = restore("Today ZB1 Aktobe ZE1 hosted a meeting, code.",
                                          tags.tag_sentence(SENTENCE, SPANS))
    assert "pip install" in text and text[spans[1].start:spans[1].end] == "pip install"
    assert [(r.span.mark, r.how) for r in repairs] == [(1, "position")]


def test_whole_sentence_span_needs_no_tag():
    tagged = tags.tag_sentence("Бүгін кездесу өтті.", [Span(0, 18, 4)])
    assert tagged.text == "Бүгін кездесу өтті."
    text, spans, repairs = restore("A meeting took place today.", tagged)
    assert spans == (Span(0, len(text), 4),) and not repairs


MARKDOWN = f"""---
layout: release
---
# {TITLE}

{HEADING} Мектепте **бес жүз** оқушы оқиды.

- Салтанатты шараға [ата-аналар](https://example.kz/parents) қатысты.
- Олар `mt translate` мұғалімдерді құттықтады.

| Мектеп | Сурет |
|--------|-------|
| {PUPILS} | ![мектеп](school.png) |

```sh
mt translate release.kk.txt  # {TITLE}
```

1. {PARENTS}
"""


def test_markdown_keeps_code_links_and_tables(trained_nllb, tmp_path):
    source = tmp_path / "release.kk.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    out = tmp_path / "out"
    result = translate(source, trained_nllb, out)
    assert result.exit_code == 0, result.output
    lines = (out / "release.en.md").read_text(encoding="utf-8").splitlines()
    assert lines[:4] == ["---", "layout: release", "---", f"# {EN[TITLE]}"]
    paragraph = lines[5]
    assert paragraph.startswith(EN[HEADING]) and paragraph.count("**") == 2, paragraph
    assert lines[7].startswith("- ") and "](https://example.kz/parents)" in lines[7] and "[" in lines[7]
    assert lines[8].startswith("- ") and "`mt translate`" in lines[8]
    assert lines[10].startswith("| ") and lines[11] == "|--------|-------|"
    assert lines[12] == f"| {EN[PUPILS]} | ![мектеп](school.png) |"
    assert lines[14:17] == ["```sh", f"mt translate release.kk.txt  # {TITLE}", "```"]
    assert lines[18] == f"1. {EN[PARENTS]}"
    assert lines[-1].startswith("<!-- Machine translated from Kazakh (mt): model ")
    rows = [json.loads(line) for line in (out / "release.align.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["source"] == TITLE and not any("ZB" in r["source"] or "ZM" in r["source"] for r in rows)


def test_lost_bold_goes_around_the_glossary_term(tiny_nllb, tmp_path):
    """A random model loses the tags; the bold word held a glossary term, whose target
    the enforcement guarantees, so the bold goes back around it and QA says so."""
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    paragraph = document.add_paragraph("Бүгін ")
    paragraph.add_run("Ақтөбеде").bold = True
    paragraph.add_run(" кездесу өтті.")
    document.save(tmp_path / "r.kk.docx")
    glossary = Path(__file__).parents[1] / "glossaries" / "places.tsv"
    result = CliRunner().invoke(cli, ["translate", str(tmp_path / "r.kk.docx"), "--to", "en,ru", "--model",
                                      str(tiny_nllb), "--out", str(tmp_path / "out"), "--glossary", str(glossary),
                                      "--no-tm"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "r.qa.json").read_text(encoding="utf-8"))
    for lang, form in (("en", "Aktobe"), ("ru", "Актобе")):
        body = docx.Document(tmp_path / "out" / f"r.{lang}.docx").paragraphs[1]
        assert [r.text for r in body.runs if r.bold] == [form], [(r.text, r.bold) for r in body.runs]
        assert any(f["check"] == "inline-tag" and "glossary term" in f["message"] and f["lang"] == lang
                   for f in report["findings"]), report["findings"]


def test_plain_release_as_docx_and_html(trained_nllb, tmp_path):
    from conftest import E2E

    out = tmp_path / "out"
    for fmt in ("docx", "html"):
        result = translate(E2E / "release.kk.txt", trained_nllb, out, "--format", fmt)
        assert result.exit_code == 0, result.output
    document = docx.Document(out / "release.en.docx")
    assert document.paragraphs[0].style.name == "Title" and document.paragraphs[0].text == EN[TITLE]
    assert document.core_properties.language == "en"
    root = lxml.html.document_fromstring((out / "release.en.html").read_text(encoding="utf-8"))
    assert root.get("lang") == "en" and root.findtext("body/h1") == EN[TITLE]
    result = translate(tmp_path / "out" / "release.en.docx", trained_nllb, "-")
    assert result.exit_code != 0 and "cannot go to stdout" in result.output
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = translate(page, trained_nllb, out, "--format", "docx")  # from HTML: a simple document
    assert result.exit_code == 0, result.output
    assert docx.Document(out / "page.en.docx").paragraphs[0].text == EN[TITLE]


def test_second_run_of_a_docx_comes_from_the_memory_with_its_formatting(trained_nllb, tmp_path, monkeypatch):
    source = make_docx(tmp_path / "release.kk.docx")
    tm = str(tmp_path / "tm.sqlite")
    args = ["--tm", tm]
    first = CliRunner().invoke(cli, ["translate", str(source), "--to", "en", "--model", str(trained_nllb),
                                     "--out", str(tmp_path / "a"), "--no-glossary", *args])
    assert first.exit_code == 0, first.output

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded although every sentence is in the memory")

    monkeypatch.setattr("mt.engines.load_engine", no_model)
    second = CliRunner().invoke(cli, ["translate", str(source), "--to", "en", "--model", str(trained_nllb),
                                      "--out", str(tmp_path / "b"), "--no-glossary", *args])
    assert second.exit_code == 0, second.output
    runs = [[(r.text, r.bold) for r in docx.Document(tmp_path / d / "release.en.docx").paragraphs[2].runs]
            for d in ("a", "b")]
    assert runs[0] == runs[1]
    rows = [json.loads(line) for line in (tmp_path / "b" / "release.align.jsonl").read_text().splitlines()]
    assert {row["targets"]["en"]["origin"] for row in rows} == {"tm"}
    assert not any("ZB" in row["targets"]["en"]["text"] for row in rows)


def test_a_translators_translation_serves_the_formatted_sentence(trained_nllb, tmp_path):
    """Post-edits come back without tags (XLIFF shows plain sentences): the human
    translation still wins, and the bold is put back and reported."""
    from mt.tm import MemoryUnit, TranslationMemory

    tm = tmp_path / "tm.sqlite"
    human = "Five hundred pupils learn at our school."
    memory = TranslationMemory(tm)
    memory.import_units([MemoryUnit("kk", "en", PUPILS, human, creator="anna")])
    memory.close()
    source = make_docx(tmp_path / "release.kk.docx")
    result = CliRunner().invoke(cli, ["translate", str(source), "--to", "en", "--model", str(trained_nllb),
                                      "--out", str(tmp_path / "out"), "--no-glossary", "--tm", str(tm)])
    assert result.exit_code == 0, result.output
    body = docx.Document(tmp_path / "out" / "release.en.docx").paragraphs[2]
    assert body.text.startswith(human) and [r.text for r in body.runs if r.bold] != []
    rows = [json.loads(line) for line in (tmp_path / "out" / "release.align.jsonl").read_text().splitlines()]
    assert rows[2]["source"] == PUPILS and rows[2]["targets"]["en"] | {"terms": []} == {
        "text": human, "origin": "human", "terms": []}
    report = json.loads((tmp_path / "out" / "release.qa.json").read_text(encoding="utf-8"))
    assert any(f["check"] == "inline-tag" and f["segment"] == 2 for f in report["findings"])


def test_a_huge_paragraph_costs_a_few_bytes_per_character():
    """Blocks are built piece by piece, never one tuple per character (issue 24: a 10 MB
    single-line Markdown release took 2 GB). Allocation, not time: deterministic. A
    Cyrillic str is 2 bytes per character; the text and its spans cost a few copies."""
    import tracemalloc

    from mt.formats import _blocks

    text = "Бұл өте ұзын мәтін. " * 50_000
    pieces = [(text, (), None), ("код", (), 0), (text, (1,), None)]
    tracemalloc.start()
    try:
        built, spans = _blocks.build(pieces)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert built == f"{text}код{text}".strip() and len(spans) == 2
    assert peak < 24 * 2 * len(text), f"{peak / (2 * len(text)):.0f} bytes per character"
