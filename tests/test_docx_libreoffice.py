"""Word files as LibreOffice writes them (tests/data/libreoffice, made with
LibreOffice 7.4 from hand-written flat ODF; see the README there) through `mt
translate` and `mt segment` (issue 23):

- structure kept: paragraph styles, list numbering, table cells, header, footer with
  its page field, the comment, the link target;
- the zip has no duplicate member and one docProps/core.xml, also for LibreOffice's
  "Office Open XML Text" filter (whose core-properties relationship python-docx does
  not recognise);
- the machine-translation note is a paragraph in a style defined in styles.xml;
- a link on a glossary name holds the whole target name, and no other formatting
  overlaps it;
- tracked changes are refused in one line, or with --accept-changes translated as if
  accepted (inserted text in place, deleted text dropped; moves, deleted paragraph
  marks and rows as Word's Accept All leaves them).

Translations come from the suite's tiny models: trained_nllb reproduces
tests/data/e2e/pairs.tsv exactly; tiny_nllb is random (it loses every tag, so spans are
put back by the repair rules) and the glossary puts the name in.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from lxml import etree

from mt.cli import cli
from mt.errors import InputError
from mt.formats import read_release
from mt.formats.docx import NOTE_STYLE

DATA = Path(__file__).parent / "data" / "libreoffice"
GLOSSARIES = Path(__file__).parents[1] / "glossaries"
TITLE, HEADING = "Жаңа мектеп ашылды", "Бүгін қалада жаңа мектеп ашылды."
PUPILS, PARENTS, TEACHERS = ("Мектепте бес жүз оқушы оқиды.", "Салтанатты шараға ата-аналар қатысты.",
                             "Олар мұғалімдерді құттықтады.")
EN = {TITLE: "New school opened", HEADING: "A new school opened in the city today.",
      PUPILS: "Five hundred pupils study at the school.", PARENTS: "Parents attended the ceremony.",
      TEACHERS: "They congratulated the teachers."}
LINK = "https://example.kz/persons/kinne"
TRACKED_LINE = "2 tracked changes: accept or reject them first, or pass --accept-changes"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def translate(path: Path, model, out: Path, *extra: str, to: str = "en"):
    return run("translate", str(path), "--to", to, "--model", str(model), "--out", str(out), "--no-tm", *extra)


def _members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def _core(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("docProps/core.xml"))


def _one_error_line(result, path: Path) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mt: error: {path}: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


# -- structure -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["release.docx", "release-ooxml.docx"])
def test_libreoffice_release_keeps_its_structure(trained_nllb, tmp_path, name):
    source = DATA / name
    out = tmp_path / "out"
    result = translate(source, trained_nllb, out, "--no-glossary", to="de,en")
    assert result.exit_code == 0, result.output
    original = docx.Document(source)
    stem = name.removesuffix(".docx")
    for lang in ("de", "en"):
        path = out / f"{stem}.{lang}.docx"
        members = _members(path)
        assert len(members) == len(set(members)) and members.count("docProps/core.xml") == 1, members
        assert _core(path).findtext("{http://purl.org/dc/elements/1.1/}language") == lang
        translated = docx.Document(path)
        styles = [p.style.name for p in translated.paragraphs]
        assert styles == [p.style.name for p in original.paragraphs] + [NOTE_STYLE]
        numbered = [p._p.pPr.numPr is not None for p in translated.paragraphs[:-1]]
        assert numbered == [p._p.pPr.numPr is not None for p in original.paragraphs]
        body = translated.paragraphs[2]
        assert [r.text for r in body.runs if r.bold] and all(r.text.strip() for r in body.runs if r.bold)
        assert [r.text for r in body.runs if r.italic] and all(r.text.strip() for r in body.runs if r.italic)
        linked = translated.paragraphs[3]
        assert [h.address for h in linked.hyperlinks] == [LINK] and linked.hyperlinks[0].text.strip()
        assert linked._p.find(f".//{W}commentReference") is not None and "word/comments.xml" in members
        assert not re.search(r"Z[BEM]\d", "\n".join(p.text for p in translated.paragraphs))
    english = docx.Document(out / f"{stem}.en.docx")
    texts = [p.text for p in english.paragraphs]
    assert texts[:2] == [EN[TITLE], EN[HEADING]] and texts[4:6] == [EN[TEACHERS], EN[PARENTS]]
    assert [[c.text for c in row.cells] for row in english.tables[0].rows] == [
        [EN[TITLE], EN[PUPILS]], [EN[PARENTS], EN[HEADING]]]
    assert english.sections[0].header.paragraphs[0].text == EN[TITLE]
    footer = english.sections[0].footer.paragraphs[0]._p
    assert [e.get(qn("w:fldCharType")) for e in footer.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    assert [e.text for e in footer.iter(qn("w:instrText"))] == [" PAGE "]


def test_the_note_paragraph_has_a_style_of_its_own(trained_nllb, tmp_path):
    out = tmp_path / "out"
    assert translate(DATA / "release.docx", trained_nllb, out, "--no-glossary").exit_code == 0
    translated = docx.Document(out / "release.en.docx")
    note = translated.paragraphs[-1]
    assert note.text.startswith("Machine translated from Kazakh (mt)")
    assert note.style.name == NOTE_STYLE and note.style.type == 1  # WD_STYLE_TYPE.PARAGRAPH
    assert note.style.font.italic and all(r._r.rPr is None for r in note.runs)  # the style, not direct formatting
    with zipfile.ZipFile(out / "release.en.docx") as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    defined = [s for s in styles.iter(f"{W}style") if s.find(f"{W}name").get(f"{W}val") == NOTE_STYLE]
    assert len(defined) == 1 and defined[0].get(f"{W}type") == "paragraph"
    again = tmp_path / "again"  # a draft translated again keeps one such style
    assert translate(out / "release.en.docx", trained_nllb, again, "--no-glossary").exit_code == 0
    with zipfile.ZipFile(again / "release.en.en.docx") as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    assert sum(s.find(f"{W}name").get(f"{W}val") == NOTE_STYLE for s in styles.iter(f"{W}style")) == 1


def test_a_plain_release_as_docx_has_one_core_part_and_the_note_style(trained_nllb, tmp_path):
    from conftest import E2E

    out = tmp_path / "out"
    assert translate(E2E / "release.kk.txt", trained_nllb, out, "--no-glossary", "--format", "docx").exit_code == 0
    members = _members(out / "release.en.docx")
    assert len(members) == len(set(members)) and members.count("docProps/core.xml") == 1
    assert docx.Document(out / "release.en.docx").paragraphs[-1].style.name == NOTE_STYLE


# -- links on glossary names -------------------------------------------------------

@pytest.mark.parametrize("name", ["release.docx", "release-ooxml.docx"])
def test_a_link_on_a_glossary_name_holds_the_whole_name(tiny_nllb, tmp_path, name):
    out = tmp_path / "out"
    result = translate(DATA / name, tiny_nllb, out, "--glossary", str(GLOSSARIES / "persons.tsv"), to="de,en,ru")
    assert result.exit_code == 0, result.output
    stem = name.removesuffix(".docx")
    report = json.loads((out / f"{stem}.qa.json").read_text(encoding="utf-8"))
    for lang, person in (("de", "Ulrich Kinne"), ("en", "Ulrich Kinne"), ("ru", "Ульрих Кинне")):
        paragraph = docx.Document(out / f"{stem}.{lang}.docx").paragraphs[3]
        assert [(h.address, h.text) for h in paragraph.hyperlinks] == [(LINK, person)], lang
        others = [r.text for r in paragraph.runs]  # the runs outside the link
        assert not any(word in text for text in others for word in person.split()), (lang, others)
        notes = [f["message"] for f in report["findings"] if f["check"] == "inline-tag" and f["lang"] == lang
                 and "link" in f["message"]]
        assert notes and all("around the glossary term it holds" in n for n in notes), notes


def test_a_name_split_over_two_spans_gets_both_whole(tiny_nllb, tmp_path):
    """The italic held the first name, the link the surname: both hold the whole
    target name, the link's run in italics (spans nest, they do not cut the name)."""
    body = (f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>{TITLE}</w:t></w:r></w:p>'
            '<w:p><w:r><w:t xml:space="preserve">Германия елшісі </w:t></w:r>'
            '<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">Ульрих </w:t></w:r>'
            '<w:hyperlink r:id="rId2"><w:r><w:rPr><w:rStyle w:val="InternetLink"/></w:rPr><w:t>Кинне</w:t></w:r>'
            '</w:hyperlink><w:r><w:t xml:space="preserve"> мектепке кітаптар сыйлады.</w:t></w:r></w:p>')
    source = _with_body(tmp_path / "split.kk.docx", body)
    out = tmp_path / "out"
    result = translate(source, tiny_nllb, out, "--glossary", str(GLOSSARIES / "persons.tsv"))
    assert result.exit_code == 0, result.output
    paragraph = docx.Document(out / "split.en.docx").paragraphs[1]
    assert [(h.address, h.text) for h in paragraph.hyperlinks] == [(LINK, "Ulrich Kinne")]
    assert all(r.italic for r in paragraph.hyperlinks[0].runs)
    assert not any("Ulrich" in r.text or "Kinne" in r.text for r in paragraph.runs)


# -- tracked changes ---------------------------------------------------------------

def test_tracked_changes_are_refused_in_one_line(trained_nllb, tmp_path):
    source = DATA / "tracked.docx"
    line = _one_error_line(run("segment", str(source)), source)
    assert line.endswith(TRACKED_LINE)
    out = tmp_path / "out"
    line = _one_error_line(translate(source, trained_nllb, out, "--no-glossary"), source)
    assert line.endswith(TRACKED_LINE)
    assert not out.exists()  # nothing written
    line = _one_error_line(run("glossary", "match", str(source)), source)  # every reader of releases
    assert line.endswith(TRACKED_LINE)
    result = run("glossary", "match", str(source), "--accept-changes", "--format", "text")
    assert result.exit_code == 0, result.output


def test_accepted_changes_are_translated_in_place(trained_nllb, tmp_path):
    source = DATA / "tracked.docx"
    result = run("segment", str(source), "--accept-changes")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [TITLE, PUPILS, PARENTS, TEACHERS, TITLE, "Бет 1"]  # + header, footer
    out = tmp_path / "out"
    result = translate(source, trained_nllb, out, "--no-glossary", "--accept-changes")
    assert result.exit_code == 0, result.output
    english = docx.Document(out / "tracked.en.docx")
    assert [p.text for p in english.paragraphs[:4]] == [EN[TITLE], EN[PUPILS], EN[PARENTS], EN[TEACHERS]]
    with zipfile.ZipFile(out / "tracked.en.docx") as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    assert not [e for e in document.iter(f"{W}ins", f"{W}del", f"{W}delText")]


def test_review_takes_accept_changes_too(trained_nllb, tmp_path):
    """The review page reads the release as `mt translate --accept-changes` did: the same
    sentences as the drafts' alignment; without the flag it refuses in one line."""
    from mt.review.session import ReviewSession

    out = tmp_path / "out"
    assert translate(DATA / "tracked.docx", trained_nllb, out, "--no-glossary", "--accept-changes").exit_code == 0
    with pytest.raises(InputError, match="--accept-changes"):
        ReviewSession(DATA / "tracked.docx", str(out), tm_path=tmp_path / "tm.sqlite")
    session = ReviewSession(DATA / "tracked.docx", str(out), tm_path=tmp_path / "tm.sqlite", accept_changes=True)
    assert [s.text for s in session.segments][:4] == [TITLE, PUPILS, PARENTS, TEACHERS]
    assert session.translations["en"][1].text == EN[PUPILS]


def test_the_batch_takes_accept_changes_too(trained_nllb, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "tracked.docx", folder)
    out = tmp_path / "out"
    result = translate(folder, trained_nllb, out, "--no-glossary")
    assert result.exit_code == 2 and TRACKED_LINE in result.output and not (out / "tracked.en.docx").exists()
    result = translate(folder, trained_nllb, out, "--no-glossary", "--accept-changes")
    assert result.exit_code == 0, result.output
    assert docx.Document(out / "tracked.en.docx").paragraphs[1].text == EN[PUPILS]


def _with_body(path: Path, body: str) -> Path:
    """tests/data/libreoffice/release.docx with another body (its section kept)."""
    with zipfile.ZipFile(DATA / "release.docx") as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = members["word/document.xml"].decode("utf-8")
    start, end = xml.index("<w:body>") + len("<w:body>"), xml.index("<w:sectPr>")
    members["word/document.xml"] = (xml[:start] + body + xml[end:]).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def _p(inner: str, mark: str = "") -> str:
    return f"<w:p><w:pPr><w:rPr>{mark}</w:rPr></w:pPr>{inner}</w:p>"


def _r(text: str, deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r><{tag} xml:space="preserve">{text}</{tag}></w:r>'


REV = 'w:author="Редактор" w:date="2026-12-01T10:00:00Z"'


@pytest.mark.parametrize("body,accepted,count", [
    # a move: the words leave one place and arrive at another
    (_p(_r(TITLE)) + _p(_r("Олар ") + f'<w:moveTo w:id="1" {REV}>{_r("мұғалімдерді ")}</w:moveTo>'
                        + _r("құттықтады.")
                        + f'<w:moveFrom w:id="2" {REV}>{_r("мұғалімдерді")}</w:moveFrom>'),
     [TITLE, TEACHERS], 2),
    # a deleted paragraph mark joins the paragraph with the next one
    (_p(_r(TITLE)) + _p(_r("Мектепте бес жүз "), f'<w:del w:id="3" {REV}/>') + _p(_r("оқушы оқиды.")),
     [TITLE, PUPILS], 1),
    # an inserted paragraph mark only goes away
    (_p(_r(TITLE)) + _p(_r(PUPILS), f'<w:ins w:id="4" {REV}/>') + _p(_r(PARENTS)), [TITLE, PUPILS, PARENTS], 1),
    # a deleted table row goes, an inserted one stays; text inserted and then deleted goes
    (_p(_r(TITLE)) + "<w:tbl>"
     f'<w:tr><w:trPr><w:del w:id="5" {REV}/></w:trPr><w:tc>{_p(_r("Жойылған жол."))}</w:tc></w:tr>'
     f'<w:tr><w:trPr><w:ins w:id="6" {REV}/></w:trPr><w:tc>{_p(_r(PARENTS))}</w:tc></w:tr></w:tbl>'
     + _p(_r("Олар ") + f'<w:ins w:id="7" {REV}><w:del w:id="8" {REV}>{_r("бәрін ", True)}</w:del></w:ins>'
          + _r("мұғалімдерді құттықтады.")),
     [TITLE, PARENTS, TEACHERS], 4),
])
def test_accepting_as_word_does(tmp_path, body, accepted, count):
    source = _with_body(tmp_path / "r.docx", body)
    line = _one_error_line(run("segment", str(source)), source)
    assert line.endswith(f"{count} tracked change{'s' if count > 1 else ''}: accept or reject them first, "
                         "or pass --accept-changes")
    document = read_release(source, accept_changes=True)
    assert [document.title, *document.paragraphs] == [*accepted, TITLE, "Бет 1"]  # then header and footer
