"""The installed command, run from a temporary directory as a user would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE


def paiban() -> list[str]:
    script = Path(sys.executable).parent / "paiban"
    return [str(script)] if script.exists() else [sys.executable, "-m", "layout"]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(paiban() + args, cwd=cwd, capture_output=True, text=True, timeout=120)


def copy_sample(tmp_path: Path, replace: tuple[str, str] | None = None) -> Path:
    target = tmp_path / "edition.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    target.write_text(text, encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "photos", tmp_path / "photos")
    return target


def test_build_from_any_directory_writes_pdfs_and_report(tmp_path):
    result = run(["build", str(SAMPLE), "-o", "out", "--report", "report.json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "2023-12-29-05.pdf").stat().st_size > 10_000
    assert (tmp_path / "out" / "2023-12-29.pdf").stat().st_size > 10_000
    assert "1 pages, 8 articles" in result.stdout and "0 overflows" in result.stdout
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["edition"]["date"] == "2023-12-29"
    page = report["pages"][0]
    assert page["number"] == 5 and page["file"].endswith("2023-12-29-05.pdf")
    ids = [a["id"] for a in page["articles"]]
    assert ids[0] == "lead" and "photo-robot" in ids
    for article in page["articles"]:
        assert {"id", "columns", "lines", "chars_set", "overflow_chars",
                "overflow_lines"} <= article.keys()
    lead = page["articles"][0]
    assert lead["columns"] == 8 and lead["chars_set"] > 1800 and lead["overflow_lines"] == 0
    for diagnostic in report["diagnostics"]:
        assert {"severity", "code", "message", "file", "line", "field"} <= diagnostic.keys()


def test_check_reports_fit_without_writing(tmp_path):
    result = run(["check", str(SAMPLE)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "capacity" in result.stdout and "lead" in result.stdout
    assert not any(tmp_path.iterdir())


def test_overflow_is_reported_and_strict_fails(tmp_path):
    edition = copy_sample(tmp_path, ("span: 4, top: 85, depth: 17", "span: 4, top: 85, depth: 12"))
    result = run(["build", str(edition), "-o", "out", "--report", "r.json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 overflows" in result.stdout
    assert "article 'jigongwei' does not fit its box" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    fit = next(a for a in report["pages"][0]["articles"] if a["id"] == "jigongwei")
    assert fit["overflow_lines"] > 0 and fit["overflow_chars"] > 0
    assert fit["overflow_text"] and fit["overflow_text"][-3:] in \
        edition.read_text(encoding="utf-8").replace(",", "，")
    strict = run(["build", str(edition), "-o", "out2", "--strict"], tmp_path)
    assert strict.returncode == 1


def test_missing_glyph_is_a_warning_with_code_point(tmp_path):
    edition = copy_sample(tmp_path, ("近日,湖滨路街道", "近日,𪚥湖滨路街道"))
    result = run(["build", str(edition), "-o", "out"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "character '𪚥' U+2A6A5" in result.stdout
    assert (tmp_path / "out" / "2023-12-29-05.pdf").exists()
    assert run(["build", str(edition), "-o", "out", "--strict"], tmp_path).returncode == 1


@pytest.mark.parametrize("module", [True, False])
def test_entry_points(tmp_path, module):
    command = [sys.executable, "-m", "layout"] if module else paiban()
    result = subprocess.run(command + ["--help"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0 and "build" in result.stdout


def test_diff_shows_what_changed_between_drafts(tmp_path):
    draft = copy_sample(tmp_path, ("累计派驻助企干部116名", "累计派驻助企干部118名"))
    same = run(["diff", str(SAMPLE), str(SAMPLE)], tmp_path)
    assert same.returncode == 0 and same.stdout == ""
    changed = run(["diff", str(SAMPLE), str(draft), "--lines"], tmp_path)
    assert changed.returncode == 1
    removed = [line for line in changed.stdout.splitlines() if line.startswith("-p5")]
    added = [line for line in changed.stdout.splitlines() if line.startswith("+p5")]
    assert len(removed) == len(added) == 1
    assert "116名" in removed[0] and "118名" in added[0]
    assert added[0].startswith("+p5 zhuanjing body c")


def test_build_writes_a_trace(tmp_path):
    result = run(["build", str(SAMPLE), "-o", "out", "--trace", "trace.txt"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "trace.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "== page 5 示范区新闻"
    assert any(line.startswith("p5 lead headline") and "让科技创新" in line for line in lines)
    pieces = []
    for line in lines[1:]:
        head, _, text = line.partition("\t")
        page, article, role, column, row = head.split()
        if article == "lead" and role in ("body", "dateline"):
            pieces.append(((int(column[1:]), int(row[1:]), role != "dateline"), text))
    from layout.compose.normalize import normalize
    from layout.model.load import load_edition

    lead = next(a for a in load_edition(SAMPLE).articles if a.id == "lead")
    assert "".join(text for _, text in sorted(pieces)) == \
        normalize(lead.source_text.replace("\n", ""))[0]
