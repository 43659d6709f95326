"""`mt review` on a 500-sentence release: how long the page takes to open and a
sentence to save, server side (in process, starlette's TestClient) and in Debian's
chromium (selenium, headless), with the page's own script saving in place.

The release is 500 Kazakh sentences (25 paragraphs of 20) with drafts in de, en and ru
written by mt.output from stand-in translations (no model: the page's cost does not depend
on where the drafts came from), as txt and XLIFF, with a memory beside them.

    .venv/bin/python eval/bench_review.py [--sentences 500] [--repeat 5]

Prints one JSON object (medians and all runs, in seconds).
"""

from __future__ import annotations

import argparse
import json
import platform
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from mt.output import output_files
from mt.release import prepare
from mt.review.app import create_app
from mt.review.server import bind, running, url
from mt.review.session import ReviewSession
from mt.types import ReleaseResult, Translation

WORDS = "жаңа мектеп қалада оқушы ата-аналар мұғалім әкім облыс бүгін ашылды".split()
STANDIN = {"de": "Die neue Schule in der Stadt {n} wurde heute eröffnet.",
           "en": "The new school in town {n} opened today.",
           "ru": "Новая школа в городе {n} открылась сегодня."}


def make_release(folder: Path, sentences: int) -> tuple[Path, Path]:
    """A release of `sentences` sentences with txt and XLIFF drafts; returns (release, memory)."""
    paragraphs, n = [], 0
    while n < sentences - 1:
        row = []
        for _ in range(min(20, sentences - 1 - n)):
            words = [WORDS[(n * 7 + k) % len(WORDS)] for k in range(8)]
            row.append(" ".join(words).capitalize() + f" {n + 1}.")
            n += 1
        paragraphs.append(" ".join(row))
    release = folder / "release.kk.txt"
    release.write_text("Жаңа мектеп ашылды\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    prepared = prepare(release)
    translations = {lang: tuple(Translation(s.index, lang, s.text, text.format(n=s.index), (), "engine")
                                for s in prepared.segments) for lang, text in STANDIN.items()}
    result = ReleaseResult(prepared.document, tuple(prepared.segments), (), translations, ())
    stem = folder / "release"
    meta = {"input": str(release), "model": "stand-in"}
    files = {**output_files(result, stem, "txt", meta), **output_files(result, stem, "xliff", meta)}
    for path, content in files.items():
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return release, folder / "tm.sqlite"


def server_side(release: Path, memory: Path, repeat: int) -> dict:
    token = secrets.token_urlsafe(16)
    start = time.perf_counter()
    session = ReviewSession(release, tm_path=memory, translator="bench")
    opened = time.perf_counter() - start
    client = TestClient(create_app(session, token), base_url="http://127.0.0.1")
    client.get(f"/?token={token}", follow_redirects=False)
    loads, saves, sizes = [], [], []
    for n in range(repeat):
        start = time.perf_counter()
        page = client.get("/")
        loads.append(time.perf_counter() - start)
        sizes.append(len(page.content))
        version = session.cell(n, "en").version
        start = time.perf_counter()
        reply = client.post("/edit", data={"token": token, "segment": str(n), "lang": "en", "version": version,
                                           "text": f"Edited sentence {n}.", "action": "save"},
                            headers={"accept": "application/json"})
        saves.append(time.perf_counter() - start)
        assert reply.status_code == 200, reply.text
    return {"session_open_s": round(opened, 3), "page_load_s": _summary(loads), "save_s": _summary(saves),
            "page_bytes": sizes[0], "sentences": len(session.segments)}


def in_chromium(release: Path, memory: Path, repeat: int) -> dict:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1400,1000", "--disable-background-networking"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    session = ReviewSession(release, tm_path=memory, translator="bench")
    token = secrets.token_urlsafe(16)
    sock = bind("127.0.0.1", 0)
    loads, saves = [], []
    try:
        with running(create_app(session, token), sock):
            driver.get(url(sock, token))
            for n in range(repeat):
                start = time.perf_counter()
                driver.get(url(sock, token).split("/?")[0] + "/")
                WebDriverWait(driver, 60, poll_frequency=0.01).until(
                    lambda d: d.execute_script("return document.readyState") == "complete")
                loads.append(time.perf_counter() - start)
                segment = 10 + n
                area = driver.find_element(By.CSS_SELECTOR, f'#s{segment} textarea[data-lang="de"]')
                area.send_keys(Keys.CONTROL, "a")
                area.send_keys(f"Satz {n} bearbeitet.")
                start = time.perf_counter()
                area.send_keys(Keys.CONTROL, "s")
                WebDriverWait(driver, 60, poll_frequency=0.01).until(_state_is(f'#s{segment} [data-lang="de"]', "edited"))
                saves.append(time.perf_counter() - start)
            height = driver.execute_script("return document.documentElement.scrollHeight")
    finally:
        driver.quit()
    return {"page_load_s": _summary(loads), "save_s": _summary(saves), "page_height_px": height}


def _state_is(css: str, state: str) -> Callable[[Any], bool]:
    """A wait condition: the cell at `css` is in `state`."""
    def check(driver: Any) -> bool:  # read in the page: the cell element is replaced by a save
        return driver.execute_script("var c = document.querySelector(arguments[0]); "
                                     "return c && c.dataset.state", css) == state
    return check


def _summary(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "runs": [round(v, 3) for v in values]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        release, memory = make_release(Path(tmp), args.sentences)
        report = {"machine": {"python": sys.version.split()[0], "platform": platform.platform()},
                  "server": server_side(release, memory, args.repeat)}
        if not args.no_browser:
            report["chromium"] = in_chromium(release, memory, args.repeat)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
