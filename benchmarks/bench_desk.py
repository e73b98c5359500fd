"""The desk's latency: save → updated page in a real browser (headless Chromium).

`paiban serve` runs in its own process on a copy of the edition; Selenium drives Debian's
Chromium (chromium + chromium-driver, nothing downloaded). For each edit the script notes
the wall clock just before it writes the file, and the page notes the wall clock
(`Date.now()`) once the changed pages' SVG is in the document, the fonts are ready and the
next animation frame has run (`window.desk.appliedAt`); both clocks are this machine's.
The parts: the server's own timing of each build (change noticed → built: load, makeup
and compose → drawn → pushed, from /state.json) and the browser's (event received → page
on screen).

Two cases: the sample page with one story edited (budget 0.5 s), and a generated 16-page
edition with one story on one page edited (budget 1 s).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_build import SAMPLE, eight_pages

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,900")
ADDED = "记者从会上获悉。"


def browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("PAIBAN_CHROMIUM") or shutil.which("chromium")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = os.environ.get("PAIBAN_CHROMEDRIVER") or shutil.which("chromedriver")
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def wait(driver, script: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.005)
    raise SystemExit(f"timed out: {script}")


def story_edit(text: str, article: str, add: bool) -> str:
    """Add (or take away) a sentence at the end of the first paragraph of one story."""
    start = text.index(f"  - id: {article}\n")
    body = text.index("body: |\n", start) + len("body: |\n")
    end = text.index("\n", body)
    line = text[body:end]
    line = line + ADDED if add else line.removesuffix(ADDED)
    return text[:body] + line + text[end:]


def measure(name: str, edition: Path, article: str, page: int, edits: int, budget: float,
            profile: Path) -> None:
    server = subprocess.Popen([sys.executable, "-m", "layout", "serve", str(edition),
                               "--port", "0"], stdout=subprocess.PIPE, text=True)
    driver = None
    try:
        url = server.stdout.readline().split(" at ", 1)[1].split()[0]
        driver = browser(profile)
        driver.get(url)
        wait(driver, "return window.desk && window.desk.appliedGeneration > 0")
        pages = driver.execute_script("return Object.keys(window.desk.versions).length")
        # The editor looks at the page being edited: bring it into view (pages out of view
        # are not painted, which would flatter the figure).
        driver.execute_script(f"document.querySelector('.page[data-page=\"{page}\"]')"
                              ".scrollIntoView({block: 'center', inline: 'center'})")
        time.sleep(0.5)
        latencies, server_ms, redrawn = [], [], []
        for i in range(edits):
            generation = driver.execute_script("return window.desk.appliedGeneration")
            redraws = driver.execute_script("return Object.assign({}, window.desk.redraws)")
            text = edition.read_text(encoding="utf-8")
            changed = story_edit(text, article, add=i % 2 == 0)
            time.sleep(0.3)                                  # a quiet file before each save
            saved = time.time()
            edition.write_text(changed, encoding="utf-8")
            applied = wait(driver, f"return window.desk.appliedGeneration > {generation} && "
                                   "window.desk.appliedAt")
            latencies.append(applied / 1000 - saved)
            marks = driver.execute_script("return window.desk.marks")
            after = driver.execute_script("return window.desk.redraws")
            redrawn.append(sum(after[k] - redraws.get(k, 0) for k in after))
            with urllib.request.urlopen(url + "state.json") as response:
                timing = json.loads(response.read())["timing"]
            server_ms.append({"notice": timing["detected"] - saved,
                              "build": timing["composed"] - timing["started"],
                              "draw": timing["rendered"] - timing["composed"],
                              "push": timing["published"] - timing["rendered"],
                              "browser": (marks["frame"] - marks["received"]) / 1000})
        parts = ", ".join(f"{k} {statistics.median(s[k] for s in server_ms) * 1000:.0f} ms"
                          for k in server_ms[0])
        verdict = "within" if max(latencies) <= budget else "OVER"
        print(f"{name:<28} {pages:>2} pages  save→page median "
              f"{statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
              f"(n={edits}, {verdict} the {budget:.1f} s budget); pages redrawn per edit: "
              f"{sorted(set(redrawn))}; parts (median): {parts}")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    if not (shutil.which("chromium") or os.environ.get("PAIBAN_CHROMIUM")):
        raise SystemExit("needs Chromium and chromedriver (Debian: apt-get install chromium "
                         "chromium-driver)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        one = tmp_path / "one" / SAMPLE.name
        one.parent.mkdir()
        shutil.copy(SAMPLE, one)
        shutil.copytree(SAMPLE.parent / "photos", one.parent / "photos")
        measure("sample, one story", one, "xuncha", 5, args.edits, 0.5, tmp_path / "profile1")
        sixteen = eight_pages(tmp_path / "sixteen" / "edition.yaml", count=16)
        measure("16 pages, one story on p. 9", sixteen, "xuncha-p9", 9, args.edits, 1.0,
                tmp_path / "profile2")


if __name__ == "__main__":
    main()
