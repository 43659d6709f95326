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
    from selenium.webdriver.support.ui import WebDriverWait

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

        # Edit the English of sentence 2 in place and save.
        cell = _cell(browser, 2, "en")
        cell.find_element(By.TAG_NAME, "summary").click()
        area = cell.find_element(By.TAG_NAME, "textarea")
        area.clear()
        area.send_keys(FIXED)
        cell.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, '#s2 [data-lang="en"] .saved'))
        _screenshot(browser, "review.png")

        browser.refresh()
        cell = _cell(browser, 2, "en")
        assert cell.find_element(By.CSS_SELECTOR, ".draft").text == FIXED
        assert cell.find_element(By.CSS_SELECTOR, ".origin").text == "human"
        assert "term-enforced" not in _checks(cell)                     # QA ran again on the edit
        assert "term-enforced" in _checks(_cell(browser, 2, "de"))      # German was not touched
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
        assert browser.execute_script("return document.readyState") == "complete"
        # Nothing from the release ran: the title is the release's text, window.pwned unset,
        # and the page holds no script or image element at all.
        assert browser.title == f"Review: Жаңа {reviewkit.SCRIPT} мектеп"
        assert browser.execute_script("return typeof window.pwned") == "undefined"
        assert browser.find_elements(By.CSS_SELECTOR, "script, img, iframe, object, embed") == []
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
