"""What fuzzing found (tools/fuzz.py), each kept as a test of its own."""

from __future__ import annotations

import struct
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from test_bad_input import assert_input_error, build, edited, sample_copy


def _claimed_size_jpeg(width: int, height: int) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    at = data.index(b"\xff\xc0")
    data[at + 5:at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize("width, height, said", [(20_000, 20_000, "400 megapixels"),
                                                 (13_000, 12_000, "156 megapixels")])
def test_a_photo_over_the_pixel_bound_is_refused_with_its_size(tmp_path: Path, width, height,
                                                               said):
    """Was a DecompressionBombError traceback (over 179 MP) or gigabytes of memory."""
    path = sample_copy(tmp_path)
    (tmp_path / "photos" / "robot-standin.jpg").write_bytes(_claimed_size_jpeg(width, height))
    result, out = build(path, tmp_path)
    assert_input_error(result, out, rf"edition.yaml:\d+: .*photos\[0\].*{said}.*up to 150 "
                       "megapixels")


def test_an_article_that_is_a_list_is_an_input_error(tmp_path: Path):
    """Was ValueError: not enough values to unpack, while naming the article."""
    path = edited(tmp_path, "  - id: lead\n", "  - [a, b]\n  - id: lead\n")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"edition.yaml:\d+: articles\[0\]: expected a mapping")


def test_a_huge_span_is_refused_at_once(tmp_path: Path):
    """Was a MemoryError: the overlap check listed 2³¹ columns of a box off the grid."""
    text = sample_copy(tmp_path).read_text(encoding="utf-8")
    start = text.index("span: ", text.index("id: lead"))
    end = text.index(",", start)
    path = tmp_path / "edition.yaml"
    path.write_text(text[:start] + "span: 2147483648" + text[end:], encoding="utf-8")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"place.span: expected a whole number of at most 10000, "
                       r"got 2.14748e\+09")


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_not_a_number_is_not_a_number(tmp_path: Path, value: str):
    from conftest import ROOT

    style = (ROOT / "styles" / "broadsheet.yaml").read_text(encoding="utf-8")
    assert "ink_limit: 240" in style
    (tmp_path / "mine.yaml").write_text(style.replace("ink_limit: 240", f"ink_limit: {value}"),
                                        encoding="utf-8")
    path = edited(tmp_path, "style: broadsheet", "style: mine.yaml")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"mine.yaml:\d+: print.ink_limit: expected a number")


def test_an_empty_edition_file_names_line_1(tmp_path: Path):
    """The long fuzz run's one finding: a file cut to nothing said so without a line."""
    path = tmp_path / "edition.yaml"
    path.write_text("# only a comment\n", encoding="utf-8")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"edition.yaml:1: the file is empty")


@pytest.mark.parametrize("option", ["--report", "--trace"])
def test_a_report_or_trace_that_cannot_be_written_is_an_error_not_a_traceback(
        tmp_path: Path, option: str):
    from click.testing import CliRunner

    from layout.cli import main

    path = sample_copy(tmp_path)
    (tmp_path / "taken").mkdir()
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), option,
                                       str(tmp_path / "taken")])
    assert result.exit_code == 1, result.output
    assert "cannot write" in result.output and "Traceback" not in result.output


def test_a_style_name_too_long_for_the_system_is_an_unknown_style(tmp_path: Path):
    """Was OSError: [Errno 36] File name too long, from Path.is_file."""
    path = edited(tmp_path, "style: broadsheet", "style: broad" + "[" * 5000)
    result, out = build(path, tmp_path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "edition.yaml:" in result.output


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e999"])
def test_yaml_infinity_as_a_length_is_refused(tmp_path: Path, value: str):
    """Was ValueError: could not convert string to float: '.inf'."""
    from conftest import ROOT

    style = (ROOT / "styles" / "broadsheet.yaml").read_text(encoding="utf-8")
    assert "head_rule: " in style
    start = style.index("head_rule: ") + len("head_rule: ")
    end = style.index("\n", start)
    (tmp_path / "mine.yaml").write_text(style[:start] + value + style[end:], encoding="utf-8")
    path = edited(tmp_path, "style: broadsheet", "style: mine.yaml")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"mine.yaml:\d+: rules.head_rule: expected a")
