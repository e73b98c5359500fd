"""The desk (`paiban serve`) in a real browser: headless Chromium driven by Selenium.

The browser is Debian's chromium with its chromedriver (.ci/run installs both); nothing is
downloaded. Where neither can be had the browser tests skip and say why; the HTTP tests
(report, traversal, binding) run anyway.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT

from layout.pipeline import compose_edition
from layout.report import to_json
from layout.serve import open_desk

SAMPLE = ROOT / "editions" / "hucheng-2023-12-29.yaml"
PAGES = ROOT / "editions" / "hucheng-2023-12-29-pages.yaml"
# Generous: the suite runs on shared machines. The latency budget (0.5 s / 1 s) is measured
# by benchmarks/bench_desk.py, not asserted here.
WAIT_S = 15.0


def _executable(env: str, *names: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    return next((found for name in names if (found := shutil.which(name))), None)


@pytest.fixture(scope="session")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    chromium = _executable("PAIBAN_CHROMIUM", "chromium", "chromium-browser", "google-chrome")
    driver_path = _executable("PAIBAN_CHROMEDRIVER", "chromedriver")
    if not chromium or not driver_path:
        pytest.skip("no Chromium and chromedriver on this machine (Debian: apt-get install "
                    "chromium chromium-driver); the desk's browser tests cannot run")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="paiban-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1400,900",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # An explicit driver path: selenium-manager must not try to download one.
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def copy_edition(source: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source.parent / "photos", target / "photos")
    edition = target / source.name
    shutil.copy(source, edition)
    return edition


@pytest.fixture
def running(tmp_path):
    """A desk on a copy of an edition, on a free port; yields a function that opens one."""
    opened = []

    def start(source: Path = SAMPLE):
        edition = copy_edition(source, tmp_path / "edition")
        desk = open_desk(edition, port=0)
        desk.start()
        opened.append(desk)
        return desk, edition
    yield start
    for desk in opened:
        desk.close()


def wait(browser, script: str, what: str, timeout: float = WAIT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = browser.execute_script(script)
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def open_page(browser, desk) -> None:
    browser.get(desk.url)
    wait(browser, "return window.desk && window.desk.appliedGeneration > 0", "the first build")


def generation(browser) -> int:
    return browser.execute_script("return window.desk.appliedGeneration")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_desk_shows_every_page_of_the_edition(browser, running):
    desk, _ = running(PAGES)
    open_page(browser, desk)
    numbers = browser.execute_script(
        "return [...document.querySelectorAll('.page')].map(p => p.dataset.page)")
    assert numbers == ["1", "2"]
    for number in numbers:
        texts = browser.execute_script(
            f"return document.querySelectorAll('.page[data-page=\"{number}\"] svg.page-svg "
            "text').length")
        layout = desk.desk.pages[int(number)].layout
        assert texts == sum(1 for item in layout.items if hasattr(item, "text"))
    # The page's faces came from the desk and the browser has them.
    assert wait(browser, "return document.fonts.status === 'loaded' && "
                "[...document.fonts].filter(f => f.status === 'loaded').length", "fonts") >= 4


def test_toggling_the_grid_overlays_changes_what_is_drawn(browser, running):
    desk, _ = running()
    open_page(browser, desk)
    sheet = browser.find_element("css selector", ".page .sheet")

    def shown(layer: str) -> bool:
        return browser.execute_script(
            f"return getComputedStyle(document.querySelector('.overlay .{layer}')).display")\
            != "none"

    before = sheet.screenshot_as_png
    lines = browser.find_elements("css selector", ".overlay .baselines line")
    assert len(lines) == desk.desk.build.edition.style.grid.lines
    assert not shown("baselines")
    browser.find_element("css selector", 'input[data-overlay="baselines"]').click()
    assert shown("baselines")
    with_grid = sheet.screenshot_as_png
    assert with_grid != before
    browser.find_element("css selector", 'input[data-overlay="columns"]').click()
    assert shown("columns")
    assert sheet.screenshot_as_png != with_grid
    browser.find_element("css selector", 'input[data-overlay="baselines"]').click()
    browser.find_element("css selector", 'input[data-overlay="columns"]').click()
    assert not shown("baselines") and not shown("columns")
    assert sheet.screenshot_as_png == before


def test_a_saved_edit_redraws_only_the_page_that_changed(browser, running):
    desk, edition = running(PAGES)
    open_page(browser, desk)
    assert desk.desk.pages[2].layout is not None
    browser.execute_script("document.querySelector('.page[data-page=\"1\"] svg.page-svg')"
                           ".dataset.kept = 'yes'")
    redraws = browser.execute_script("return Object.assign({}, window.desk.redraws)")
    before = generation(browser)
    edit(edition, "强化巡中指导 力促巡察提质增效", "强化巡中指导 力促巡察见实效")
    wait(browser, f"return window.desk.appliedGeneration > {before}", "the rebuilt page")
    assert "力促巡察见实效" in browser.execute_script(
        "return document.querySelector('.page[data-page=\"2\"] svg.page-svg').textContent")
    after = browser.execute_script("return window.desk.redraws")
    assert after["2"] == redraws["2"] + 1
    assert after["1"] == redraws["1"]
    assert browser.execute_script("return document.querySelector('.page[data-page=\"1\"] "
                                  "svg.page-svg').dataset.kept") == "yes"


def test_a_replaced_photo_redraws_its_page(browser, running):
    desk, edition = running()
    open_page(browser, desk)
    photo = edition.parent / "photos" / "robot-standin.jpg"
    old = browser.execute_script("return document.querySelector('svg.page-svg image')"
                                 ".getAttribute('href')")
    before = generation(browser)
    data = photo.read_bytes()
    time.sleep(0.05)
    photo.write_bytes(data)          # saved again: a new modification time
    wait(browser, f"return window.desk.appliedGeneration > {before}", "the rebuilt page")
    new = browser.execute_script("return document.querySelector('svg.page-svg image')"
                                 ".getAttribute('href')")
    assert new != old and new.startswith("/edition/photos/robot-standin.jpg?v=")


def test_a_saved_style_redraws_the_pages(browser, running, tmp_path):
    desk, edition = running()
    style = edition.parent / "house.yaml"
    shutil.copy(ROOT / "styles" / "broadsheet.yaml", style)
    open_page(browser, desk)
    before = generation(browser)
    edit(edition, "style: broadsheet", "style: house.yaml")
    wait(browser, f"return window.desk.appliedGeneration > {before}", "the house style")
    widths = "return [...document.querySelectorAll('svg.page-svg line')].map(l => " \
             "l.getAttribute('stroke-width')).join(' ')"
    old = browser.execute_script(widths)
    assert "0.3" in old.split()
    before = generation(browser)
    edit(style, "column_rule: 0.3pt", "column_rule: 0.7pt")     # the style file, not the edition
    wait(browser, f"return window.desk.appliedGeneration > {before}", "the edited style")
    new = browser.execute_script(widths)
    assert "0.7" in new.split() and "0.3" not in new.split()


def test_an_invalid_edit_shows_the_error_and_keeps_the_last_pages(browser, running):
    desk, edition = running()
    open_page(browser, desk)
    version = browser.execute_script("return window.desk.versions['5']")
    before = generation(browser)
    edit(edition, "place: {page: 5, column: 1, span: 8,", "place: {page: 5, column: 12, span: 8,")
    wait(browser, f"return window.desk.appliedGeneration > {before}", "the failed build")
    banner = browser.find_element("css selector", "#banner")
    assert banner.is_displayed()
    assert f"{edition.name}:" in banner.text and "column" in banner.text
    assert browser.execute_script("return window.desk.versions['5']") == version
    assert browser.execute_script("return document.querySelectorAll('svg.page-svg text')"
                                  ".length") > 100
    assert "error" in browser.find_element("css selector", "#status").text
    # Fixed: the banner goes, the page follows.
    before = generation(browser)
    edit(edition, "place: {page: 5, column: 12, span: 8,", "place: {page: 5, column: 1, span: 8,")
    wait(browser, f"return window.desk.appliedGeneration > {before}", "the good build")
    assert not banner.is_displayed()


def test_clicking_an_article_shows_its_fit_text_and_place(browser, running):
    desk, _ = running()
    open_page(browser, desk)
    report = desk.desk.report
    fit = next(a for a in report["pages"][0]["articles"] if a["id"] == "lead")
    area = browser.find_element("css selector", '.overlay .box[data-article="lead"] rect.area')
    area.click()
    panel = browser.find_element("css selector", "#article").text
    assert f"capacity {fit['capacity_lines']} lines / {fit['capacity_chars']} chars" in panel
    assert f"set      {fit['lines']} lines / {fit['chars_set']} chars" in panel
    assert "place: {page: 5, column: 1, span: 8, top: 0," in panel
    assert "12月29日上午" in panel
    assert browser.find_elements("css selector", '.overlay .box.selected[data-article="lead"]')


def test_a_diagnostic_click_highlights_its_article(browser, running):
    desk, _ = running()
    open_page(browser, desk)
    item = browser.find_element("css selector", '#diagnostics li[data-article="lead"]')
    assert "hucheng-2023-12-29.yaml:" in item.text
    item.click()
    assert browser.find_elements("css selector", '.overlay .box.selected[data-article="lead"]')


def _get(desk, path: str, host: str | None = None) -> tuple[int, bytes]:
    address, port = desk.server.server_address[:2]
    connection = http.client.HTTPConnection(address, port, timeout=10)
    headers = {"Host": host} if host else {}
    connection.request("GET", path, headers=headers)   # the path goes out as written
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_report_json_is_the_builds_report(running):
    desk, edition = running()
    status, body = _get(desk, "/report.json")
    assert status == 200
    served = json.loads(body)
    expected = to_json(compose_edition(edition))
    for data in (served, expected):
        data.pop("seconds")
    assert served == expected


def test_the_desk_serves_nothing_outside_its_edition_and_assets(running):
    desk, edition = running()
    (edition.parent.parent / "secret.txt").write_text("secret", encoding="utf-8")
    for path in ("/../secret.txt", "/edition/../secret.txt", "/edition/%2e%2e/secret.txt",
                 "/edition/..%2fsecret.txt", "/edition/%2E%2E%2Fsecret.txt",
                 "/edition/photos/../../secret.txt", "/edition//etc/passwd", "/etc/passwd",
                 "/edition/%2Fetc%2Fpasswd", "/assets/../desk.py", "/assets/%2e%2e/desk.py",
                 "/edition/..\\secret.txt", "/fonts/../../pyproject.toml", "/page/../5.svg",
                 "/page/99.svg", "/edition/.hidden", "//etc/passwd"):
        status, body = _get(desk, path)
        assert status == 404, path
        assert b"secret" not in body
    assert _get(desk, "/edition/photos/robot-standin.jpg")[0] == 200
    assert _get(desk, "/assets/desk.js")[0] == 200
    assert _get(desk, "/page/5.svg")[0] == 200
    # Bound to loopback, the desk answers only requests addressed to a loopback name.
    assert _get(desk, "/", host="attacker.example")[0] == 403
    assert desk.server.server_address[0] == "127.0.0.1"


def test_the_desk_writes_nothing(running):
    desk, edition = running()
    before = sorted(p.relative_to(edition.parent) for p in edition.parent.rglob("*"))
    for path in ("/", "/state.json", "/report.json", "/page/5.svg"):
        assert _get(desk, path)[0] == 200
    assert sorted(p.relative_to(edition.parent) for p in edition.parent.rglob("*")) == before


def test_paiban_serve_prints_its_local_address(tmp_path):
    edition = copy_edition(SAMPLE, tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "layout", "serve", str(edition),
                                "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert "http://127.0.0.1:" in line, line
        url = line.split("at ", 1)[1].split()[0]
        port = int(url.rsplit(":", 1)[1].strip("/"))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/")
        assert connection.getresponse().status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("edition", sorted((ROOT / "editions").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_the_desk_builds_every_edition(edition):
    """Every shipped edition opens on the desk: pages, boxes with a fit, the report."""
    from layout.serve.desk import Desk

    desk = Desk(edition)
    desk.rebuild()
    assert desk.error is None
    state = json.loads(desk.state()[1])
    build = compose_edition(edition)
    assert [p["number"] for p in state["pages"]] == [p.number for p in build.pages]
    placed = {a.id for a in build.edition.articles if a.place is not None}
    boxed = {b["id"] for p in state["pages"] for b in p["boxes"] if not b["continued"]}
    assert boxed == placed
    for page in state["pages"]:
        for box in page["boxes"]:
            assert box["fit"] is not None and box["place_yaml"].startswith("place: {page: ")
    assert all(view.svg.startswith(b"<svg") for view in desk.pages.values())
