"""`mt review` through an HTTP client (starlette's TestClient) and the command itself:
what the page shows, saving an edit (memory, drafts, QA), accepting a name (glossary),
and every refusal: no token, another site, another host, paths outside the release's
and the glossary's folders. Drafts are made by `mt translate` with the tiny trained
model (tests/reviewkit.py)."""

from __future__ import annotations

import http.client
import json
import sqlite3

import httpx
import pytest
import reviewkit
from click.testing import CliRunner
from lxml import etree, html
from starlette.testclient import TestClient

from mt.cli import cli
from mt.glossary import edit, store
from mt.review.app import cookie_name, create_app
from mt.review.session import ReviewSession
from mt.tm import TranslationMemory

TOKEN = "test-token-" + "x" * 32
BASE = "http://127.0.0.1"
FIXED = "Five hundred pupils study at the school."


@pytest.fixture(scope="module")
def translated(trained_nllb, tmp_path_factory) -> reviewkit.Release:
    """Drafts in txt and XLIFF, made once by the model (no memory: a draft served from
    the memory carries no fallback warnings); tests change copies of them."""
    release = reviewkit.school_release(tmp_path_factory.mktemp("review"), trained_nllb, "--no-tm")
    reviewkit.translate(release, trained_nllb, "--format", "xliff", "--no-tm")
    return release


@pytest.fixture
def release(translated, tmp_path) -> reviewkit.Release:
    return reviewkit.copy_release(translated, tmp_path)


def session_of(release: reviewkit.Release) -> ReviewSession:
    return ReviewSession(release.release, glossary_paths=[str(release.glossary)], tm_path=release.tm,
                         translator="anna")


def client_of(session: ReviewSession, token: bool = True) -> TestClient:
    client = TestClient(create_app(session, TOKEN), base_url=BASE)
    if token:
        assert client.get(f"/?token={TOKEN}", follow_redirects=False).status_code == 303
    return client


def page(client: TestClient, url: str = "/"):
    response = client.get(url)
    assert response.status_code == 200, response.text
    return html.fromstring(response.text)


def cell(tree, segment: int, lang: str):
    [found] = tree.xpath(f'//section[@id="s{segment}"]/div[@data-lang="{lang}"]')
    return found


def draft_text(tree, segment: int, lang: str) -> str:
    return cell(tree, segment, lang).xpath('.//div[contains(@class, "draft")]')[0].text_content()


def version_of(client: TestClient, segment: int, lang: str) -> str:
    """The version the page's form for this sentence carries (what a save is based on)."""
    return cell(page(client, f"/?start={segment}"), segment, lang).xpath('.//input[@name="version"]')[0].get("value")


def post_edit(client: TestClient, segment: int | str, lang: str, text: str, action: str = "save",
              version: str | None = None, **kwargs):
    """A save from the page as it is now (its version), as the form posts it."""
    if version is None:
        try:
            version = version_of(client, int(segment), lang)
        except (ValueError, IndexError):
            version = ""
    return client.post("/edit", data={"token": TOKEN, "segment": str(segment), "lang": lang, "text": text,
                                      "action": action, "version": version}, **kwargs)


def checks_in(tree, segment: int, lang: str) -> list[str]:
    return [li.get("data-check") for li in cell(tree, segment, lang).xpath('.//li[contains(@class, "finding")]')]


def test_page_shows_source_drafts_terms_findings_and_names(release):
    session = session_of(release)
    tree = page(client_of(session))
    sources = [s.text for s in session.segments]
    assert [s.xpath('./div[contains(@class, "source")]/div[@class="text"]')[0].text_content()
            for s in tree.xpath('//section[contains(@class, "segment")]')] == sources
    drafts = release.draft("en").read_text(encoding="utf-8")
    for index in range(len(sources)):
        assert draft_text(tree, index, "en") in drafts
    # The glossary term is marked with its id in the source and in every draft carrying it.
    assert [m.text_content() for m in tree.xpath('//section[@id="s1"]//mark[@data-term="term.school"]')] == \
        ["мектеп", "Schule", "school", "школа"]
    # The model dropped the term in sentence 2 (de, en): the QA report's warnings are there.
    report = json.loads((release.folder / "release.qa.json").read_text(encoding="utf-8"))
    expected = {(f["lang"], f["check"]) for f in report["findings"] if f["segment"] == 2}
    assert ("en", "term-enforced") in expected
    assert {(lang, check) for lang in ("de", "en", "ru") for check in checks_in(tree, 2, lang)} == expected
    # Unknown names with their proposed forms, and the glossary file each would go to.
    proposals = {form.xpath('.//input[@name="id"]')[0].get("value"): form for form in tree.xpath('//form[@class="proposal"]')}
    assert "person.askhat-shakharov" in proposals
    person = proposals["person.askhat-shakharov"]
    assert {name: person.xpath(f'.//input[@name="{name}"]')[0].get("value") for name in ("kk", "en", "de", "ru")} == \
        {"kk": "Асхат Шахаров", "en": "Askhat Shakharov", "de": "Aschat Schacharow", "ru": "Асхат Шахаров"}
    assert person.xpath('.//select[@name="file"]/option[@selected]')[0].get("value") == str(release.glossary / "persons.tsv")


def test_errors_come_first_and_filters_narrow_the_page(release):
    session = session_of(release)
    client = client_of(session)
    # An untranslated sentence is an error; the model's dropped term a warning.
    assert post_edit(client, 2, "de", session.segments[2].text + " Schule").status_code == 200
    tree = page(client)
    severities = [li.get("class").split()[-1] for li in cell(tree, 2, "de").xpath('.//li')]
    assert severities and severities[0] == "error" and severities == sorted(severities, key=["error", "warning",
                                                                                             "info"].index)
    filtered = page(client, "/?check=term-enforced&lang=en")
    report = json.loads((release.folder / "release.qa.json").read_text(encoding="utf-8"))
    expected = sorted({str(f["segment"]) for f in report["findings"] if (f["check"], f["lang"]) == ("term-enforced", "en")})
    assert "2" in expected and len(expected) < len(session.segments)
    assert [s.get("data-segment") for s in filtered.xpath('//section[contains(@class, "segment")]')] == expected
    assert filtered.xpath('//section[@id="s2"]/div[@data-lang="de"]') == []
    assert checks_in(filtered, 2, "en") == ["term-enforced"]


def test_unchanged_release_renders_the_files_it_was_read_from(release):
    session = session_of(release)
    assert session.formats == ["txt", "xliff"]
    files = session.render_files()
    assert {path.name for path in files} >= {"release.en.txt", "release.de.xlf", "release.align.jsonl",
                                             "release.qa.json", "release.qa.md"}
    for path, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        assert data == path.read_bytes(), path.name


def test_saving_an_edit_feeds_memory_drafts_and_qa(release, trained_nllb):
    session = session_of(release)
    client = client_of(session)
    before_de = release.draft("de").read_bytes()
    before_report = json.loads((release.folder / "release.qa.json").read_text(encoding="utf-8"))
    response = post_edit(client, 2, "en", f"  {FIXED}\r\n", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("#s2")
    tree = page(client, response.headers["location"])
    assert draft_text(tree, 2, "en") == FIXED
    assert "term-enforced" not in checks_in(tree, 2, "en")   # QA ran again: the term is there now
    report = json.loads((release.folder / "release.qa.json").read_text(encoding="utf-8"))
    for lang in ("de", "ru"):  # the other languages keep theirs
        assert checks_in(tree, 2, lang) == [f["check"] for f in report["findings"] if (f["segment"], f["lang"]) == (2, lang)]
    assert cell(tree, 2, "en").xpath('.//span[contains(@class, "origin-human")]')

    memory = TranslationMemory(release.tm)
    [hit] = memory.lookup_many([session.segments[2].text], "kk", "en", "any-key")
    assert (hit.target, hit.origin, hit.creator) == (FIXED, "human", "anna")
    lines = release.draft("en").read_text(encoding="utf-8").splitlines()
    assert lines[1] == f"A new school opened in the city today. {FIXED}"
    assert release.draft("de").read_bytes() == before_de
    assert FIXED.encode() in release.draft("en", "xlf").read_bytes()
    rows = [json.loads(line) for line in (release.folder / "release.align.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[2]["targets"]["en"] == {"text": FIXED, "origin": "human", "terms": [
        {"id": "term.school", "required": "school", "found": True, "strategy": "human"}]}
    report = json.loads((release.folder / "release.qa.json").read_text(encoding="utf-8"))
    assert not [f for f in report["findings"] if f["segment"] == 2 and f["lang"] == "en"]
    assert [f for f in report["findings"] if f["segment"] != 2 or f["lang"] != "en"] == \
        [f for f in before_report["findings"] if f["segment"] != 2 or f["lang"] != "en"]

    # A new edit that breaks something shows its new finding at once.
    broken = "Five hundred pupils study at the мектеп."
    tree = page(client, post_edit(client, 2, "en", broken, follow_redirects=False).headers["location"])
    assert "script" in checks_in(tree, 2, "en")

    # The memory feeds the next run: `mt translate --force` puts the edit into the draft.
    post_edit(client, 2, "en", FIXED)
    reviewkit.translate(release, trained_nllb, "--force")
    assert release.draft("en").read_text(encoding="utf-8").splitlines()[1].endswith(FIXED)


def test_a_formatted_release_keeps_its_formatted_drafts_for_mt_translate(trained_nllb, tmp_path):
    """Markdown with a bold word: the alignment does not say where the bold went in each
    translation, so the review leaves the .md drafts to `mt translate --force` (which
    takes the edit from the memory) and says so; memory, alignment and report change."""
    root = tmp_path / "md"
    release = reviewkit._layout(root, "# Жаңа мектеп ашылды\n\nБүгін қалада **жаңа** мектеп ашылды. "
                                      "Мектепте бес жүз оқушы оқиды.\n")
    release = reviewkit.Release(release.folder, release.release.rename(release.folder / "release.kk.md"),
                                release.glossary, release.tm)
    reviewkit.translate(release, trained_nllb, "--no-tm")
    session = session_of(release)
    assert session.kept_formats == ["md"] and session.formats == []
    client = client_of(session)
    assert "mt translate --force" in client.get("/").text
    before = {lang: release.draft(lang, "md").read_bytes() for lang in ("de", "en", "ru")}
    assert post_edit(client, 2, "en", FIXED).status_code == 200
    assert {lang: release.draft(lang, "md").read_bytes() for lang in before} == before
    rows = [json.loads(line) for line in (release.folder / "release.align.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[2]["targets"]["en"]["text"] == FIXED
    reviewkit.translate(release, trained_nllb, "--force")
    assert FIXED in release.draft("en", "md").read_text(encoding="utf-8")


def test_empty_edit_is_refused_and_changes_nothing(release):
    client = client_of(session_of(release))
    before = reviewkit.snapshot(release.folder)
    response = post_edit(client, 1, "en", " \n ")
    assert response.status_code == 400 and "empty" in response.text
    assert reviewkit.snapshot(release.folder) == before


def _foreign_memory(path) -> None:
    """Another program's SQLite file: refused when opened, before any draft changes."""
    sqlite3.connect(path).execute("CREATE TABLE other (x)").connection.commit()


def _refusing_memory(path) -> None:
    """A memory of mt that refuses every new unit: the drafts are already rewritten
    when it fails, so they must be put back."""
    from mt.tm import TranslationMemory

    TranslationMemory(path).close()
    db = sqlite3.connect(path)
    db.execute("CREATE TRIGGER refuse BEFORE INSERT ON units BEGIN SELECT RAISE(ABORT, 'refused'); END")
    db.commit()
    db.close()


@pytest.mark.parametrize("make_memory", [_foreign_memory, _refusing_memory])
def test_an_edit_the_memory_refuses_leaves_the_drafts_as_they_were(release, tmp_path, make_memory):
    memory = tmp_path / "memory.sqlite"
    make_memory(memory)
    session = ReviewSession(release.release, glossary_paths=[str(release.glossary)], tm_path=memory)
    client = client_of(session)
    before = reviewkit.snapshot(release.folder)
    response = post_edit(client, 2, "en", FIXED)
    assert response.status_code == 500
    assert "nothing was saved" in response.text and "translation memory" in response.text
    assert reviewkit.snapshot(release.folder) == before
    assert draft_text(page(client), 2, "en") != FIXED


def test_accepting_a_name_adds_it_to_the_glossary(release):
    session = session_of(release)
    client = client_of(session)
    fields = {"token": TOKEN, "id": "person.shakharov", "type": "person", "kk": "Асхат Шахаров",
              "en": "Askhat Shakharov", "de": "Aschat Schacharow", "ru": "Асхат Шахаров", "status": "approved",
              "note": "akim of Aktobe Region", "file": str(release.glossary / "persons.tsv")}
    response = client.post("/glossary/accept", data=fields, follow_redirects=False)
    assert response.status_code == 303
    entries = store.load_entries(release.glossary / "persons.tsv")
    assert [(e.id, e.kk, e.en, e.de, e.ru, e.status) for e in entries] == [
        ("person.shakharov", "Асхат Шахаров", "Askhat Shakharov", "Aschat Schacharow", "Асхат Шахаров", "approved")]
    assert store.check([release.glossary]) == []          # what `mt glossary check` runs
    assert edit.fmt([release.glossary], write=False) == []  # and `mt glossary fmt --check`
    tree = page(client, response.headers["location"])
    names = [m.text_content() for m in tree.xpath('//section[@id="s5"]//mark[@data-term="person.shakharov"]')]
    assert names == ["Асхат Шахаров"]
    assert "person.askhat-shakharov" not in {i.get("value") for i in tree.xpath('//form[@class="proposal"]//input[@name="id"]')}
    assert tree.xpath('//p[contains(@class, "notice")]//code')  # the drafts predate the entry: said so

    # The same id again is refused with the glossary's own message; nothing changes.
    before = reviewkit.snapshot(release.glossary)
    again = client.post("/glossary/accept", data={**fields, "kk": "Шахаров Асхат"})
    assert again.status_code == 400 and "person.shakharov" in again.text
    assert reviewkit.snapshot(release.glossary) == before


def test_requests_without_the_token_are_refused_and_change_nothing(release):
    session = session_of(release)
    client = client_of(session, token=False)
    before = reviewkit.snapshot(release.folder, release.glossary, release.tm.parent)
    edit = {"segment": "1", "lang": "en", "text": "hacked"}
    accept = {"id": "person.x", "type": "person", "kk": "Асхат Шахаров", "en": "X", "de": "X", "ru": "X"}
    for method, url, data in [("GET", "/", None), ("GET", "/?token=wrong", None), ("GET", "/files/release.en.txt", None),
                              ("GET", "/static/review.css", None), ("GET", "/nowhere", None),
                              ("POST", "/edit", edit), ("POST", "/edit", {**edit, "token": "wrong"}),
                              ("POST", "/glossary/accept", accept)]:
        response = client.request(method, url, data=data)
        assert response.status_code == 403, (method, url, response.status_code)
        assert "forbidden" in response.text
    # The cookie lets the page be read, but a change needs the token in the form too
    # (another site's form would send the cookie... and SameSite=Strict stops even that).
    client.cookies.set(cookie_name(TOKEN), TOKEN)
    assert client.get("/").status_code == 200
    assert client.post("/edit", data=edit).status_code == 403
    assert client.post("/glossary/accept", data=accept).status_code == 403
    # With the token, but from another site or to another host name.
    assert client.post("/edit", data={**edit, "token": TOKEN},
                       headers={"origin": "http://evil.example"}).status_code == 403
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert reviewkit.snapshot(release.folder, release.glossary, release.tm.parent) == before
    assert TranslationMemory(release.tm).stats()["human"] == 0


def test_paths_outside_the_release_and_glossary_are_refused(release, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    # A draft name that is a link to a file elsewhere is neither served nor written through.
    (release.folder / "release.de.md").symlink_to(secret)
    session = session_of(release)
    client = client_of(session)
    before = reviewkit.snapshot(tmp_path)
    assert client.get("/files/release.en.txt").text == release.draft("en").read_text(encoding="utf-8")
    assert client.get("/files/release.en.txt").headers["content-type"].startswith("text/plain")
    for url in ["/files/release.de.md", "/files/..%2Fsecret.txt", "/files/%2e%2e/secret.txt",
                "/files/..%2F..%2Fsecret.txt", f"/files/{secret}", f"/files/%2F{str(secret).lstrip('/')}",
                "/files/release.kk.txt%2F..%2F..%2Fsecret.txt", "/files/", "/static/..%2Fapp.py",
                "/static/%2e%2e/session.py", "/static/..%2F..%2F..%2Fpyproject.toml"]:
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert "SECRET" not in response.text and "import" not in response.text, url

    accept = {"token": TOKEN, "id": "person.x", "type": "person", "kk": "Асхат Шахаров", "en": "Askhat Shakharov",
              "de": "Aschat Schacharow", "ru": "Асхат Шахаров"}
    for target in [str(release.glossary / ".." / "outside.tsv"), str(tmp_path / "outside.tsv"), "../outside.tsv",
                   str(release.release), str(secret), str(release.glossary / "sub" / "x.tsv")]:
        response = client.post("/glossary/accept", data={**accept, "file": target})
        assert response.status_code == 403, target
    for segment, lang in [("1", "../../secret"), ("99", "en"), ("-1", "en"), ("x", "en"), ("1", "kk")]:
        response = client.post("/edit", data={"token": TOKEN, "segment": segment, "lang": lang, "text": "x"})
        assert response.status_code == 404, (segment, lang)
    assert reviewkit.snapshot(tmp_path) == before

    # A saved edit leaves the link alone (a draft changed outside the page is never
    # written over; the page names it) and the file it points to is untouched.
    assert post_edit(client, 1, "de", "Neu.").status_code == 200
    assert secret.read_text(encoding="utf-8") == "SECRET"
    assert (release.folder / "release.de.md").is_symlink()
    assert "release.de.md" in page(client).xpath('string(//p[@role="alert"])')


def test_hostile_release_is_shown_as_text(tiny_nllb, tmp_path):
    release = reviewkit.hostile_release(tmp_path, tiny_nllb)
    session = ReviewSession(release.release, glossary_paths=[str(release.glossary)], tm_path=release.tm)
    response = client_of(session).get("/")
    assert response.status_code == 200
    tree = html.fromstring(response.text)
    # No element came from the release: no script, no img, no event handler attribute.
    assert tree.xpath("//img | //iframe | //*[@onerror] | //*[@onload]") == []
    # The one script is the page's own, from /static (the CSP allows no other).
    assert [(s.get("src"), s.text) for s in tree.xpath("//script")] == [("/static/review.js", None)]
    assert "<script>document.title" not in response.text and "&lt;script&gt;document.title" in response.text
    assert tree.xpath("//title")[0].text_content() == f"Review: Жаңа {reviewkit.SCRIPT} мектеп"
    # Every sentence shown whole, as the pipeline read it (bidi controls are dropped by
    # the normaliser; right-to-left letters and combining marks stay).
    sources = [div.text_content() for div in tree.xpath('//div[contains(@class, "source")]/div[@class="text"]')]
    assert sources == [segment.text for segment in session.segments]
    assert reviewkit.big_sentence() in sources and any(reviewkit.IMG in s for s in sources)
    assert any("مرحبا بكم" in s and "עברית" in s for s in sources) and any(reviewkit.COMBINING in s for s in sources)
    drafts = [div.text_content() for div in tree.xpath('//div[contains(@class, "draft")]')]
    assert reviewkit.big_translation() in drafts
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy and "unsafe" not in policy


def test_review_without_drafts_or_with_stale_ones_is_one_line(release, tmp_path):
    bare = tmp_path / "bare.kk.txt"
    bare.write_text("Жаңа мектеп ашылды\n", encoding="utf-8")
    stale = release.release.read_text(encoding="utf-8").replace("бес жүз", "алты жүз")
    release.release.write_text(stale, encoding="utf-8")
    for path, message in [(bare, "no drafts for this release"), (release.release, "another version of the release")]:
        result = CliRunner().invoke(cli, ["review", str(path), "--glossary", str(release.glossary)])
        assert result.exit_code == 2, result.output
        assert message in result.output and "mt translate" in result.output and "Traceback" not in result.output


def test_mt_review_serves_on_localhost_with_its_token(release):
    server = reviewkit.Server(release.review_args())
    try:
        assert server.url.startswith("http://127.0.0.1:") and "?token=" in server.url
        token = server.url.split("?token=", 1)[1]
        assert len(token) >= 40
        with httpx.Client() as client:
            assert client.get(server.base + "/").status_code == 403
            response = client.get(server.url, follow_redirects=True)
            assert response.status_code == 200 and "Жаңа мектеп ашылды" in response.text
            assert client.post(server.base + "/edit", data={"segment": "1", "lang": "en",
                                                            "text": FIXED}).status_code == 403
        # A literal ../ in the request line (httpx would normalise it away; http.client
        # sends it as written), with the token: still nothing outside the release.
        (release.folder.parent / "secret.txt").write_text("SECRET", encoding="utf-8")
        host, port = server.base.removeprefix("http://").rsplit(":", 1)
        for path in ["/files/../secret.txt", "/files/../../secret.txt", "/static/../app.py", "/files/./../secret.txt"]:
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            connection.request("GET", path, headers={"X-Mt-Token": token})
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            connection.close()
            assert response.status in (403, 404), (path, response.status)
            assert "SECRET" not in body and "import" not in body, path
    finally:
        server.stop()
    assert FIXED not in release.draft("en").read_text(encoding="utf-8")


def test_cli_help_names_the_safety_options():
    result = CliRunner().invoke(cli, ["review", "--help"])
    assert result.exit_code == 0 and "--host" in result.output and "127.0.0.1" in result.output



# ---------------------------------------------------------------- no lost edit, states

def test_a_save_based_on_an_old_version_is_refused_with_both_texts(release):
    """Two tabs on one sentence: the second save (based on the version both loaded)
    is refused with the saved text and its own, and nothing is written."""
    client = client_of(session_of(release))
    version = version_of(client, 2, "en")
    assert post_edit(client, 2, "en", FIXED, version=version).status_code == 200
    before = reviewkit.snapshot(release.folder, release.tm.parent)
    mine = "Five hundred children learn at the school."
    response = post_edit(client, 2, "en", mine, version=version, headers={"accept": "application/json"})
    assert response.status_code == 409
    reply = response.json()
    assert (reply["status"], reply["text"]) == ("conflict", FIXED)
    tree = html.fromstring(reply["html"])
    assert tree.xpath('string(.//bdi[@class="theirs"])') == FIXED and tree.xpath('string(.//bdi[@class="yours"])') == mine
    assert reviewkit.snapshot(release.folder, release.tm.parent) == before
    # Without the script: a page with both texts and the form to save again.
    page_409 = post_edit(client, 2, "en", mine, version=version)
    assert page_409.status_code == 409 and FIXED in page_409.text and mine in page_409.text
    assert release.draft("en").read_text(encoding="utf-8").splitlines()[1].endswith(FIXED)


def test_a_hand_edit_of_a_draft_is_shown_and_survives_the_next_save(release):
    session = session_of(release)
    client = client_of(session)
    page(client)
    lines = release.draft("de").read_text(encoding="utf-8").splitlines(keepends=True)
    old = session.translations["de"][2].text
    assert old in lines[1]
    hand = "In dieser Schule lernen fünfhundert Kinder."
    lines[1] = lines[1].replace(old, hand)
    release.draft("de").write_text("".join(lines), encoding="utf-8")
    tree = page(client)
    assert draft_text(tree, 2, "de") == hand
    assert cell(tree, 2, "de").xpath('.//p[contains(@class, "disk")]')
    # The next save of another sentence keeps it, in every file and in the memory.
    assert post_edit(client, 3, "de", "Die Eltern kamen zur Feier.").status_code == 200
    assert hand in release.draft("de").read_text(encoding="utf-8")
    assert hand.encode() in release.draft("de", "xlf").read_bytes()
    [hit] = TranslationMemory(release.tm).lookup_many([session.segments[2].text], "kk", "de", "")
    assert (hit.target, hit.origin) == (hand, "human")


def test_two_servers_on_one_release_keep_both_edits(release):
    one, two = client_of(session_of(release)), client_of(session_of(release))
    versions = version_of(one, 2, "en"), version_of(two, 3, "en")   # both pages open
    assert post_edit(one, 2, "en", FIXED, version=versions[0]).status_code == 200
    assert post_edit(two, 3, "en", "Parents came to the ceremony.", version=versions[1]).status_code == 200
    lines = release.draft("en").read_text(encoding="utf-8").splitlines()
    assert FIXED in lines[1] and "Parents came to the ceremony." in "\n".join(lines)
    assert draft_text(page(one), 3, "en") == "Parents came to the ceremony."


def test_confirming_an_unchanged_sentence_stores_approved_machine_output(release, trained_nllb):
    session = session_of(release)
    client = client_of(session)
    machine = session.translations["en"][1].text
    response = post_edit(client, 1, "en", machine, action="confirm", headers={"accept": "application/json"})
    assert response.status_code == 200 and response.json()["state"] == "confirmed"
    [hit] = TranslationMemory(release.tm).lookup_many([session.segments[1].text], "kk", "en", "")
    assert (hit.target, hit.origin, hit.creator) == (machine, "approved", "anna")
    tree = page(client)
    assert cell(tree, 1, "en").get("data-state") == "confirmed"
    assert "en: 1/6 confirmed" in " ".join(tree.xpath('//span[@data-count="en"]')[0].text_content().split())
    assert [s.get("data-segment") for s in page(client, "/?state=confirmed&lang=en").xpath('//section[contains(@class, "segment")]')] == ["1"]
    # An edit confirmed is a human translation, confirmed; a plain save is "edited".
    post_edit(client, 2, "en", FIXED, action="confirm")
    post_edit(client, 3, "en", "Parents came to the ceremony.")
    states = {i: cell(page(client), i, "en").get("data-state") for i in (0, 1, 2, 3)}
    assert states == {0: "machine", 1: "confirmed", 2: "confirmed", 3: "edited"}
    # Exported as reviewed; `mt translate --force` keeps it (from the memory), and the state.
    reviewkit.translate(release, trained_nllb, "--force", "--format", "xliff")
    xlf = etree.fromstring(release.draft("en", "xlf").read_bytes())
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    assert xlf.xpath('//x:segment[@id="s1"]/@state', namespaces=ns) == ["reviewed"]
    assert xlf.xpath('string(//x:segment[@id="s1"]/x:target)', namespaces=ns) == machine
    assert xlf.xpath('//x:segment[@id="s0"]/@state', namespaces=ns) == ["translated"]
    rows = [json.loads(line) for line in (release.folder / "release.align.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[1]["targets"]["en"]["origin"] == "approved" and rows[2]["targets"]["en"]["text"] == FIXED
    states = {i: cell(page(client), i, "en").get("data-state") for i in (1, 2, 3)}
    assert states == {1: "confirmed", 2: "confirmed", 3: "edited"}


def test_reverting_to_the_machine_draft_removes_the_decision(release):
    session = session_of(release)
    client = client_of(session)
    machine = session.translations["en"][2].text
    post_edit(client, 2, "en", FIXED)
    assert cell(page(client), 2, "en").xpath('.//textarea')[0].get("data-machine") == machine
    post_edit(client, 2, "en", machine)
    assert cell(page(client), 2, "en").get("data-state") == "machine"
    assert TranslationMemory(release.tm).lookup_many([session.segments[2].text], "kk", "en", "") == [None]
    actions = [e.action for e in session.history(2, "en", TranslationMemory(release.tm))]
    assert actions == ["machine", "edit", "revert"]


def test_help_shows_matches_human_first_history_and_concordance(release):
    session = session_of(release)
    client = client_of(session)
    similar = session.segments[2].text.replace("бес жүз", "алты жүз")
    from mt.tm import MemoryUnit
    memory = TranslationMemory(release.tm)
    memory.import_units([MemoryUnit("kk", "en", similar, "Six hundred pupils study at the school.", creator="bo")])
    memory.put_many([similar.replace("оқиды", "оқыды")], ["machine guess"], "kk", "en", "k")
    post_edit(client, 2, "en", FIXED, action="confirm")
    part = html.fromstring(client.get("/sentence/2/en?part=1").text)
    matches = part.xpath('//li[contains(@class, "match")]')
    assert [m.get("class").split()[-1] for m in matches] == ["origin-human", "origin-machine"]
    assert matches[0].xpath('string(.//button/@data-text)') == "Six hundred pupils study at the school."
    assert "%" in matches[0].xpath('string(.//span[@class="score"])')
    assert [li.xpath('string(.//span[@class="action"])') for li in part.xpath('//ol[@class="history"]/li')] == \
        ["machine draft", "confirmed"]
    found = html.fromstring(client.get("/concordance?q=hundred&part=1").text)
    assert {li.xpath('string(.//div[@class="mtgt"])') for li in found.xpath("//li")} >= \
        {FIXED, "Six hundred pupils study at the school."}
    assert client.get("/concordance?q=hundred").status_code == 200
    # Case-folded in any script: МЕКТЕПТЕ finds мектепте.
    folded = html.fromstring(client.get("/concordance?q=МЕКТЕПТЕ+БЕС&part=1").text)
    assert FIXED in {li.xpath('string(.//div[@class="mtgt"])') for li in folded.xpath("//li")}


def test_a_500_sentence_release_is_shown_in_windows(trained_nllb, tmp_path):
    from mt.review.app import PAGE

    sentences = [f"Мектепте {n} оқушы оқиды." for n in range(1, 121)]
    release = reviewkit._layout(tmp_path, "Жаңа мектеп ашылды\n\n" + " ".join(sentences) + "\n")
    reviewkit.translate(release, trained_nllb, "--no-tm", "--to", "en")
    session = session_of(release)
    client = client_of(session)
    first = page(client)
    assert len(first.xpath("//section[contains(@class, 'segment')]")) == PAGE
    second = page(client, first.xpath('//a[@rel="next"]/@href')[0])
    assert second.xpath("//section[contains(@class, 'segment')]/@data-segment")[0] == str(PAGE)
    # Without the script, a save from the second window (filters kept) comes back to it.
    form = cell(page(client, f"/?state=machine&start={PAGE}"), PAGE + 1, "en").xpath(".//form")[0]
    fields = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
    assert (fields["keep_state"], fields["keep_start"]) == ("machine", str(PAGE))
    response = client.post("/edit", data={**fields, "text": FIXED, "action": "save"}, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert f"start={PAGE}" in location and "state=machine" in location and location.endswith(f"#s{PAGE + 1}")


def test_mt_translate_during_a_review_loses_nothing_typed(release, trained_nllb):
    """`mt translate --force` that read the memory before a save writes the machine
    text over the draft: the page re-reads the files, shows the translator's text from
    the memory with a "use" action, and the next run of `mt translate` puts it back."""
    session = session_of(release)
    client = client_of(session)
    typed = "Five hundred children learn at this school."
    post_edit(client, 2, "en", typed)
    # What such a run writes: drafts made without the memory's new unit.
    reviewkit.translate(release, trained_nllb, "--force", "--no-tm")
    tree = page(client)
    assert draft_text(tree, 2, "en") != typed
    behind = cell(tree, 2, "en").xpath('.//p[contains(@class, "behind")]')[0]
    assert behind.xpath('string(.//button/@data-text)') == typed
    reviewkit.translate(release, trained_nllb, "--force")
    assert draft_text(page(client), 2, "en") == typed


def test_approved_units_travel_through_tmx_as_approved(release, tmp_path):
    session = session_of(release)
    client = client_of(session)
    machine = session.translations["de"][1].text
    post_edit(client, 1, "de", machine, action="confirm")
    out = tmp_path / "tm.tmx"
    result = CliRunner().invoke(cli, ["tm", "export", "--tm", str(release.tm), "--format", "tmx", "--human-only",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    tree = etree.fromstring(out.read_bytes())
    assert tree.xpath('//tu/prop[@type="x-mt-origin"]/text()') == ["approved"]
    fresh = tmp_path / "fresh.sqlite"
    assert CliRunner().invoke(cli, ["tm", "import", str(out), "--tm", str(fresh)]).exit_code == 0
    [hit] = TranslationMemory(fresh).lookup_many([session.segments[1].text], "kk", "de", "")
    assert (hit.target, hit.origin, hit.creator) == (machine, "approved", "anna")


def test_page_has_landmarks_a_skip_link_and_labelled_editors(release):
    session = session_of(release)
    tree = page(client_of(session))
    first_link = tree.xpath("//body//a")[0]
    assert first_link.get("href") == "#sentences" and tree.xpath('//main[@id="sentences"]')
    assert tree.xpath("//header") and tree.xpath('//aside[@aria-label]') and tree.xpath('//nav[@aria-label="Files"]')
    editors = tree.xpath("//textarea")
    assert len(editors) == len(session.segments) * len(session.langs)
    for area in editors:
        parts = [tree.xpath(f'//*[@id="{i}"]')[0].text_content() for i in area.get("aria-labelledby").split()]
        segment = int(area.get("data-segment"))
        assert parts[0] == f'{area.get("data-lang")} translation of sentence {segment}:'
        assert parts[1] == session.segments[segment].text   # the source sentence is the label
    # Scroll boxes (drafts, findings) are not Tab stops: three per cell (editor, Save, Confirm).
    assert all(el.get("tabindex") == "-1" for el in tree.xpath('//*[contains(@class, "text") or @class="findings"]'))


def test_the_check_filter_takes_the_new_qa_checks(release):
    """issue 26: a finding of a new check (spacing, brackets) after an edit, and the page
    filtered by that check's id shows exactly the sentences the report has it for."""
    from mt.qa import CHECKS

    session = session_of(release)
    client = client_of(session)
    assert post_edit(client, 1, "en", "The new school , built (for the pupils, opens.").status_code == 200
    report = json.loads((release.folder / "release.qa.json").read_text(encoding="utf-8"))
    for check in ("spacing", "brackets"):
        expected = sorted({str(f["segment"]) for f in report["findings"] if f["check"] == check},
                          key=int)
        assert "1" in expected
        filtered = page(client, f"/?check={check}")
        assert [s.get("data-segment") for s in filtered.xpath('//section[contains(@class, "segment")]')] == expected
        assert set(checks_in(filtered, 1, "en")) == {check}
        option = filtered.xpath(f'//select[@name="check"]/option[@value="{check}"]')[0]
        assert option.get("selected") is not None and option.get("title") == CHECKS[check].title
