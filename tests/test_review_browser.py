"""`mt review` in a real browser: Debian's chromium, headless, driven by selenium
through Debian's chromedriver (both from `apt-get install chromium chromium-driver`;
selenium never downloads a browser or driver here). One browser for the module.

Without chromium or chromedriver these tests are skipped with that hint, except under
CI=true, where they fail: CI must run them.

MT_REVIEW_SCREENSHOTS=DIR saves what the browser showed as DIR/review.png (the README's
picture) and DIR/review-hostile.png.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

import pytest
import reviewkit

from mt.tm import TranslationMemory

# MT_CHROMIUM / MT_CHROMEDRIVER point elsewhere (another build; or a missing path, to see
# the skip and the CI failure).
CHROMIUM = os.environ.get("MT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = os.environ.get("MT_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
HINT = "apt-get install chromium chromium-driver"
# Headless, no sandbox (root in CI), and nothing that phones home: the machine has no
# network, and chromium's background connections would only fail noisily.
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--window-size=1400,1000", "--lang=en-US")
FIXED = "Five hundred pupils study at the school."
# In the page: every element matching arguments[0] whose text has less than 4.5:1
# contrast against its background (the first opaque one up the tree), as WCAG 2 computes it.
CONTRAST = """
function rgb(s) { var m = s.match(/[\\d.]+/g).map(Number); return {c: m.slice(0, 3), a: m.length > 3 ? m[3] : 1}; }
function lum(c) { var v = c.map(function (x) { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
function background(el) { for (; el; el = el.parentElement) { var b = rgb(getComputedStyle(el).backgroundColor);
                          if (b.a > 0.5) { return b.c; } } return [255, 255, 255]; }
var low = [];
document.querySelectorAll(arguments[0]).forEach(function (el) {
  if (!el.textContent.trim()) { return; }
  var a = lum(rgb(getComputedStyle(el).color).c), b = lum(background(el));
  var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) { low.push(el.className + ' ' + el.textContent.trim().slice(0, 30) + ' ' + ratio.toFixed(2)); }
});
return low;
"""


def _missing() -> list[str]:
    missing = [name for name, path in (("chromium", CHROMIUM), ("chromedriver", DRIVER))
               if not os.access(path, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install selenium)")
    return missing


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = _missing()
    if missing:
        message = f"no {', '.join(missing)} for the browser tests: {HINT}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _screenshot(driver, name: str) -> None:
    folder = os.environ.get("MT_REVIEW_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(Path(folder) / name))


def _cell(driver, segment: int, lang: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'#s{segment} [data-lang="{lang}"]')


def _checks(cell) -> list[str]:
    from selenium.webdriver.common.by import By

    return [li.get_attribute("data-check") for li in cell.find_elements(By.CSS_SELECTOR, "li.finding")]


def test_translator_checks_edits_saves_and_reloads(browser, trained_nllb, tmp_path):
    from selenium.webdriver.common.by import By

    release = reviewkit.school_release(tmp_path, trained_nllb)
    server = reviewkit.Server(release.review_args(cwd=tmp_path), cwd=tmp_path)
    try:
        browser.get(server.url)
        assert browser.current_url == server.base + "/"  # the token went into a cookie
        rows = browser.find_elements(By.CSS_SELECTOR, "section.segment")
        sources = [row.find_element(By.CSS_SELECTOR, ".source .text").text for row in rows]
        assert sources[:2] == ["Жаңа мектеп ашылды", "Бүгін қалада жаңа мектеп ашылды."] and len(rows) == 6
        drafts = release.draft("en").read_text(encoding="utf-8")
        assert all(_cell(browser, i, "en").find_element(By.CSS_SELECTOR, ".draft").text in drafts for i in range(6))

        # A glossary term, highlighted, with its id shown beside it.
        mark = browser.find_element(By.CSS_SELECTOR, "#s1 .source mark.term")
        assert (mark.text, mark.get_attribute("data-term")) == ("мектеп", "term.school")
        assert mark.value_of_css_property("background-color") == "rgba(255, 241, 168, 1)"
        label = browser.execute_script("return getComputedStyle(arguments[0], '::after').content", mark)
        assert label == '"term.school"'
        assert "term-enforced" in _checks(_cell(browser, 2, "en"))  # the model dropped the term here

        # Edit the English of sentence 2 in place and save (with the mouse: the page's script
        # saves without a reload and the cell says so).
        cell = _cell(browser, 2, "en")
        area = cell.find_element(By.TAG_NAME, "textarea")
        area.clear()
        area.send_keys(FIXED)
        cell.find_element(By.CSS_SELECTOR, "button[value=save]").click()
        _wait(browser, 15).until(lambda d: _cell(d, 2, "en").get_attribute("data-state") == "edited")
        _wait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#help-panel .help-part"))
        _screenshot(browser, "review.png")
        # WCAG AA: 4.5:1 for the text of labels, states, origins, findings, links and buttons.
        low = browser.execute_script(CONTRAST, ".label, .state, .origin, .severity, .check, .more, button, "
                                               ".meta, .progress, .hint, .help-part .when, kbd, .files a")
        assert low == [], low

        browser.refresh()
        cell = _cell(browser, 2, "en")
        assert cell.find_element(By.CSS_SELECTOR, ".draft").text == FIXED
        assert cell.find_element(By.CSS_SELECTOR, ".origin").text == "human"
        assert "term-enforced" not in _checks(cell)                     # QA ran again on the edit
        assert _cell(browser, 2, "de").get_attribute("data-state") == "machine"  # German was not touched
    finally:
        server.stop()
    [hit] = TranslationMemory(release.tm).lookup_many(["Мектепте бес жүз оқушы оқиды."], "kk", "en", "")
    assert (hit.target, hit.origin, hit.creator) == (FIXED, "human", "anna")
    assert release.draft("en").read_text(encoding="utf-8").splitlines()[1] == \
        f"A new school opened in the city today. {FIXED}"


def test_hostile_release_renders_and_nothing_runs(browser, tiny_nllb, tmp_path):
    from selenium.webdriver.common.by import By

    from mt.review.app import create_app
    from mt.review.server import bind, running, url
    from mt.review.session import ReviewSession

    release = reviewkit.hostile_release(tmp_path, tiny_nllb)
    session = ReviewSession(release.release, glossary_paths=[str(release.glossary)], tm_path=release.tm)
    token = secrets.token_urlsafe(32)
    sock = bind("127.0.0.1", 0)
    with running(create_app(session, token), sock):
        browser.get(url(sock, token))

        _wait(browser, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        # Nothing from the release ran: the title is the release's text, window.pwned unset,
        # and the page holds no script or image element at all.
        assert browser.title == f"Review: Жаңа {reviewkit.SCRIPT} мектеп"
        assert browser.execute_script("return typeof window.pwned") == "undefined"
        assert browser.find_elements(By.CSS_SELECTOR, "img, iframe, object, embed") == []
        scripts = browser.find_elements(By.TAG_NAME, "script")
        assert [el.get_attribute("src") for el in scripts] == [url(sock, token).split("/?")[0] + "/static/review.js"]
        # Every sentence is on the page, whole, as text.
        shown = [el.get_attribute("textContent") for el in browser.find_elements(By.CSS_SELECTOR, ".source .text")]
        assert shown == [segment.text for segment in session.segments]
        assert reviewkit.SCRIPT in browser.find_element(By.TAG_NAME, "h1").text
        assert reviewkit.IMG in browser.find_element(By.CSS_SELECTOR, "#s1 .source .text").text
        assert "مرحبا بكم" in browser.find_element(By.CSS_SELECTOR, "#s2 .source .text").text
        drafts = [el.get_attribute("textContent") for el in browser.find_elements(By.CSS_SELECTOR, ".draft")]
        assert reviewkit.big_translation() in drafts
        # The 1 MB sentence stays in its own scrolling box: the page is not a mile long.
        height = browser.execute_script("return document.documentElement.scrollHeight")
        assert height < 20_000
        _screenshot(browser, "review-hostile.png")


# ---------------------------------------------------------------- post-editing, no lost edit

@pytest.fixture(scope="module")
def translated(trained_nllb, tmp_path_factory) -> reviewkit.Release:
    return reviewkit.school_release(tmp_path_factory.mktemp("browser"), trained_nllb, "--no-tm")


def _editor(driver):
    """The focused element, which must be a sentence's editor."""
    active = driver.switch_to.active_element
    assert active.tag_name == "textarea" and "editor" in active.get_attribute("class")
    return active



def _wait(driver, seconds: int):
    """WebDriverWait that polls again when the page's script replaced the element being
    read (an in-place save re-renders the cell): that is not a failure, only a retry."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,))


def _wait_focus(driver, segment: int, lang: str = "en") -> None:

    def there(d):
        active = d.switch_to.active_element
        return active.get_attribute("data-segment") == str(segment) and active.get_attribute("data-lang") == lang
    _wait(driver, 15).until(there)


def _keys(driver, *keys) -> None:
    """Keys to whatever has the focus (a keyboard, no mouse)."""
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(*keys).perform()


def _chord(driver, modifier, key) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).key_down(modifier).send_keys(key).key_up(modifier).perform()


def test_keyboard_only_post_editing_of_five_sentences(browser, translated, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    release = reviewkit.copy_release(translated, tmp_path)
    machine = [line for line in (release.folder / "release.align.jsonl").read_text(encoding="utf-8").splitlines()]
    server = reviewkit.Server(release.review_args())
    try:
        browser.get(server.url.replace("/?", "/?lang=en&"))
        assert "Ctrl" in browser.find_element(By.CSS_SELECTOR, ".keys").get_attribute("textContent")
        _wait_focus(browser, 0)                         # focus lands in the first editor
        label = browser.execute_script(
            "return arguments[0].getAttribute('aria-labelledby').split(' ')"
            ".map(function (id) { return document.getElementById(id).textContent; }).join(' ')", _editor(browser))
        assert "Жаңа мектеп ашылды" in label            # the editor is labelled by its source sentence
        # Tab order: editor, Save, Confirm, then the next sentence's editor (no scroll box,
        # link or finding in between); Shift+Tab goes back the same way.
        stops = []
        for _ in range(3):
            _keys(browser, Keys.TAB)
            active = browser.switch_to.active_element
            stops.append(active.get_attribute("value") if active.tag_name == "button" else active.get_attribute("data-segment"))
        assert stops == ["save", "confirm", "1"]
        for _ in range(3):
            _chord(browser, Keys.SHIFT, Keys.TAB)
        _wait_focus(browser, 0)
        edits = {1: "Today a new school was opened in the city.", 3: "Parents came to the opening."}
        _chord(browser, Keys.CONTROL, Keys.ENTER)       # 0: confirm as it is, go on
        _wait_focus(browser, 1)
        _chord(browser, Keys.CONTROL, "a")
        _keys(browser, edits[1])
        _chord(browser, Keys.CONTROL, Keys.ENTER)       # 1: edit and confirm
        _wait_focus(browser, 2)
        _chord(browser, Keys.CONTROL, Keys.ENTER)       # 2: confirm
        _wait_focus(browser, 3)
        _chord(browser, Keys.CONTROL, "a")
        _keys(browser, edits[3])
        _chord(browser, Keys.CONTROL, "s")              # 3: edit and save, not confirmed
        _wait(browser, 15).until(lambda d: _cell(d, 3, "en").get_attribute("data-state") == "edited")
        _wait_focus(browser, 3)
        _chord(browser, Keys.ALT, Keys.ARROW_DOWN)      # next sentence
        _wait_focus(browser, 4)
        _chord(browser, Keys.CONTROL, Keys.ENTER)       # 4: confirm
        _wait_focus(browser, 5)
        states = [_cell(browser, i, "en").get_attribute("data-state") for i in range(6)]
        assert states == ["confirmed", "confirmed", "confirmed", "edited", "confirmed", "machine"]
        count = browser.find_element(By.CSS_SELECTOR, '[data-count="en"]').text
        assert count == "en: 4/6 confirmed"
        assert "lang=en" in browser.current_url        # no reload: the filter is still there
    finally:
        server.stop()
    memory = TranslationMemory(release.tm)
    import json
    sources = [json.loads(line)["source"] for line in machine]
    hits = memory.lookup_many(sources, "kk", "en", "")
    assert [(h.origin if h else None) for h in hits] == ["approved", "human", "approved", "human", "approved", None]
    assert hits[1].target == edits[1] and hits[3].target == edits[3]
    lines = release.draft("en").read_text(encoding="utf-8")
    assert edits[3] in lines


def test_two_tabs_saving_one_sentence_the_second_is_refused(browser, translated, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    release = reviewkit.copy_release(translated, tmp_path)
    server = reviewkit.Server(release.review_args())
    first = browser.current_window_handle
    try:
        browser.get(server.url)
        browser.switch_to.new_window("tab")
        browser.get(server.base + "/")
        second = browser.current_window_handle
        for handle, text in ((first, FIXED), (second, "Five hundred children learn here.")):
            browser.switch_to.window(handle)
            area = _cell(browser, 2, "en").find_element(By.TAG_NAME, "textarea")
            area.send_keys(Keys.CONTROL, "a")
            area.send_keys(text)
            area.send_keys(Keys.CONTROL, "s")
        _wait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, '#s2 [data-lang="en"] .conflict'))
        conflict = _cell(browser, 2, "en")
        assert conflict.find_element(By.CSS_SELECTOR, ".theirs").text == FIXED
        assert conflict.find_element(By.CSS_SELECTOR, ".yours").text == "Five hundred children learn here."
        assert conflict.find_element(By.TAG_NAME, "textarea").get_attribute("value") == FIXED
        assert FIXED in release.draft("en").read_text(encoding="utf-8")
        browser.close()
        browser.switch_to.window(first)
    finally:
        server.stop()


def test_hand_edit_on_disk_and_two_servers_keep_every_edit(browser, translated, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    release = reviewkit.copy_release(translated, tmp_path)
    one, two = reviewkit.Server(release.review_args()), reviewkit.Server(release.review_args())
    try:
        browser.get(one.url)
        # A hand edit of the German draft while the page is open.
        old = _cell(browser, 2, "de").find_element(By.TAG_NAME, "textarea").get_attribute("value")
        hand = "In dieser Schule lernen fünfhundert Kinder."
        draft = release.draft("de")
        draft.write_text(draft.read_text(encoding="utf-8").replace(old, hand), encoding="utf-8")

        def save(segment: int, lang: str, text: str) -> None:
            area = _cell(browser, segment, lang).find_element(By.TAG_NAME, "textarea")
            area.send_keys(Keys.CONTROL, "a")
            area.send_keys(text)
            area.send_keys(Keys.CONTROL, "s")
            _wait(browser, 15).until(lambda d: _cell(d, segment, lang).get_attribute("data-state") == "edited")

        save(3, "de", "Die Eltern kamen zur Feier.")    # server one: another sentence
        browser.get(two.url)                            # server two shows the hand edit, marked
        cell = _cell(browser, 2, "de")
        assert cell.find_element(By.TAG_NAME, "textarea").get_attribute("value") == hand
        assert cell.find_elements(By.CSS_SELECTOR, ".disk")
        save(1, "de", "Heute wurde eine neue Schule eröffnet.")  # server two: a third sentence
    finally:
        one.stop()
        two.stop()
    text = release.draft("de").read_text(encoding="utf-8")
    assert hand in text and "Die Eltern kamen zur Feier." in text and "Heute wurde eine neue Schule eröffnet." in text
