"""Bad edition and style files: exit 2, the message names file, line and field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLE

from layout.cli import main


def sample_copy(tmp_path: Path) -> Path:
    target = tmp_path / "edition.yaml"
    target.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "photos", tmp_path / "photos")
    return target


def edited(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    path = sample_copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def build(path: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(out)])
    return result, out


def assert_input_error(result, out: Path, pattern: str) -> None:
    assert result.exit_code == 2, result.output
    assert re.search(pattern, result.output), result.output
    assert not out.exists() or not any(out.iterdir()), "nothing may be written on bad input"


def test_yaml_syntax_error(tmp_path):
    path = edited(tmp_path, "paper: 湖城日报", "paper: [湖城日报")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, rf"{re.escape(str(path))}:\d+: YAML syntax error")


def test_unknown_key_names_line_and_field(tmp_path):
    path = edited(tmp_path, "  - id: lead\n", "  - id: lead\n    headlnie: 错字\n")
    result, out = build(path, tmp_path)
    line = line_of(path, "headlnie")
    assert_input_error(result, out, rf"edition.yaml:{line}: articles\[lead\]\.headlnie: "
                                    r"unknown key 'headlnie'; expected one of")


def test_wrong_type_names_the_field(tmp_path):
    path = edited(tmp_path, "span: 8, top: 0", "span: eight, top: 0")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"articles\[lead\]\.place\.span: expected a whole number, "
                                    r"got 'eight'")


def test_missing_required_field(tmp_path):
    path = edited(tmp_path, "date: 2023-12-29\n", "")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"edition.yaml:\d+: date: missing required field 'date'")


def test_missing_headline_for_a_story_with_body(tmp_path):
    path = sample_copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(  - id: xuncha\n(?:    .*\n)*?)    headline: .*\n', r"\1", text)
    path.write_text(text, encoding="utf-8")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"articles\[xuncha\]\.headline: missing required field")


def test_unknown_style(tmp_path):
    path = edited(tmp_path, "style: broadsheet", "style: broadshet")
    result, out = build(path, tmp_path)
    line = line_of(path, "style: broadshet")
    assert_input_error(result, out, rf"edition.yaml:{line}: style: unknown style 'broadshet'; "
                                    r"expected one of broadsheet, tabloid")


def test_unknown_font_role_in_style(tmp_path):
    style = tmp_path / "mystyle.yaml"
    text = (ROOT / "styles" / "broadsheet.yaml").read_text(encoding="utf-8")
    style.write_text(text.replace("body:         {font: song", "body:         {font: fangsong"),
                     encoding="utf-8")
    path = edited(tmp_path, "style: broadsheet", "style: mystyle.yaml")
    result, out = build(path, tmp_path)
    line = line_of(style, "font: fangsong")
    assert_input_error(result, out, rf"mystyle.yaml:{line}: roles.body.font: unknown font "
                                    r"'fangsong'; the style defines: song, biaosong, hei, kai")


def test_placement_outside_the_grid(tmp_path):
    path = edited(tmp_path, "column: 5, span: 4, top: 85, depth: 17",
                  "column: 6, span: 4, top: 85, depth: 17")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"articles\[jigongwei\]\.place: columns 6–9 leave the grid: "
                                    r"the style has 8 columns")


def test_placement_overlapping_another_article(tmp_path):
    path = edited(tmp_path, "column: 5, span: 4, top: 85, depth: 17",
                  "column: 5, span: 4, top: 80, depth: 17")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"articles\[jigongwei\]\.place: box overlaps the box of "
                                    r"article "
                                    r"'zhuanjing'")


def test_missing_photo_names_file_and_article(tmp_path):
    path = edited(tmp_path, "photos/robot-standin.jpg", "photos/nothere.jpg")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"photo file not found: .*nothere\.jpg \(article "
                                    r"'photo-robot'\)")


def test_unreadable_photo_names_file_and_article(tmp_path):
    path = sample_copy(tmp_path)
    (tmp_path / "photos" / "robot-standin.jpg").write_bytes(b"not a jpeg at all")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"not a readable image: .*robot-standin\.jpg .*\(article "
                                    r"'photo-robot'\)")


@pytest.mark.parametrize("value", ["0", "-3"])
def test_column_must_be_positive(tmp_path, value):
    path = edited(tmp_path, "column: 1, span: 8", f"column: {value}, span: 8")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"articles\[lead\]\.place\.column: expected a whole number "
                                    r"of at least 1")
