"""Edition and style files as people really save them: encodings, line ends, pasted control
characters and YAML tags. Each is refused with file, line and what to do, or read as meant."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from test_bad_input import assert_input_error, build, edited, line_of, sample_copy

from layout.model.load import load_edition


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['echo hacked']",
                                 "!include other.yaml", "!ruby/object 湖城日报",
                                 "!!binary aGVsbG8="])
def test_a_tagged_value_is_refused_not_dropped(tmp_path: Path, tag: str):
    """Used to exit 0 with the paper name printed empty: the tagged value was lost."""
    path = edited(tmp_path, "paper: 湖城日报", f"paper: {tag}")
    result, out = build(path, tmp_path)
    shown = tag.split()[0]
    assert_input_error(result, out, rf"edition.yaml:{line_of(path, 'paper:')}: tag "
                       rf"{re.escape(shown)} is used; tags are not allowed in edition files")
    assert "hacked" not in result.output


def test_a_tag_deep_inside_an_article_names_its_line(tmp_path: Path):
    path = edited(tmp_path, "    kicker: ", "    kicker: !note ")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, rf"edition.yaml:{line_of(path, '!note')}: tag !note")


def test_a_tag_in_a_style_file_is_refused(tmp_path: Path):
    style = (ROOT / "styles" / "broadsheet.yaml").read_text(encoding="utf-8")
    style = style.replace("name:", "name: !!python/name:os.system", 1)
    (tmp_path / "mine.yaml").write_text(style, encoding="utf-8")
    path = edited(tmp_path, "style: broadsheet", "style: mine.yaml")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"mine.yaml:\d+: tag !!python/name:os.system is used")


def test_standard_tags_are_allowed(tmp_path: Path):
    path = edited(tmp_path, "paper: 湖城日报", "paper: !!str 湖城日报")
    assert load_edition(path).paper == "湖城日报"


@pytest.mark.parametrize("char", ["\x07", "\x00", "\x1b", "\x7f", "\x85", "\x0c"])
def test_a_control_character_names_line_column_and_code_point(tmp_path: Path, char: str):
    """Used to end in a PyYAML traceback and exit 1 (U+0007 pasted from another program)."""
    path = edited(tmp_path, "累计派驻助企干部116名", f"累计派驻{char}助企干部116名")
    text = path.read_text(encoding="utf-8")
    at = text.index(char)
    line = text.count("\n", 0, at) + 1            # line ends as YAML counts them: LF only
    column = at - text.rfind("\n", 0, at)
    result, out = build(path, tmp_path)
    assert_input_error(result, out, rf"edition.yaml:{line}: column {column}: control character "
                       rf"U\+{ord(char):04X} \(")
    assert "Traceback" not in result.output


def test_tab_is_not_a_control_character_error(tmp_path: Path):
    path = edited(tmp_path, "累计派驻助企干部116名", "累计派驻\t助企干部116名")
    assert load_edition(path).paper == "湖城日报"


def _same_articles(path: Path) -> None:
    reference = load_edition(SAMPLE)
    edition = load_edition(path)
    assert edition.paper == reference.paper
    assert [a.body for a in edition.articles] == [a.body for a in reference.articles]
    assert [a.headline for a in edition.articles] == [a.headline for a in reference.articles]


def test_utf8_bom_and_crlf_read_as_the_same_edition(tmp_path: Path):
    path = sample_copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    _same_articles(path)
    result, out = build(path, tmp_path)
    assert result.exit_code == 0, result.output


def test_utf16_with_bom_reads_as_the_same_edition(tmp_path: Path):
    path = sample_copy(tmp_path)
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    _same_articles(path)


def test_a_gbk_file_says_it_is_gbk(tmp_path: Path):
    path = sample_copy(tmp_path)
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"edition.yaml:\d+: the file is not UTF-8 text: it looks "
                       r"like GBK/GB18030")
    assert "UTF-8" in result.output and "iconv" in result.output


def test_random_bytes_say_not_utf8(tmp_path: Path):
    path = tmp_path / "edition.yaml"
    path.write_bytes(b"paper: \xff\xfe\xfa\x00\x81")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"edition.yaml:1: the file is not UTF-8 text")


def test_a_folder_instead_of_a_file(tmp_path: Path):
    (tmp_path / "edition.yaml").mkdir()
    result, out = build(tmp_path / "edition.yaml", tmp_path)
    assert_input_error(result, out, r"edition.yaml: cannot be read")


def test_a_list_as_mapping_key_is_an_input_error(tmp_path: Path):
    path = edited(tmp_path, "  - id: lead\n", "  - id: lead\n    ? [a, b]\n    : x\n")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, r"edition.yaml:\d+: articles\[lead\]: expected a plain key")


def test_credits_given_twice_are_refused(tmp_path: Path):
    text = SAMPLE.read_text(encoding="utf-8")
    match = re.search(r"credits: \{(\S+?): ", text)
    assert match
    key = match.group(1)
    path = edited(tmp_path, f"credits: {{{key}: ", f"credits: {{{key}: 某人, {key}: ")
    result, out = build(path, tmp_path)
    assert_input_error(result, out, rf"credits.{key}: key '{key}' given twice")


def test_deep_nesting_is_an_input_error_not_a_crash(tmp_path: Path):
    path = edited(tmp_path, "paper: 湖城日报", "paper: " + "[" * 20000 + "]" * 20000)
    result, out = build(path, tmp_path)
    assert result.exit_code == 2, result.output
    assert "edition.yaml" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("text", "line"), [
    ("a: 1\n!odd k: 2\n", 2),                         # a tagged key
    ("a:\n  - [1, 2]\n  - {b: [3, !odd 4]}\n", 3),    # deep in sequences and mappings
    ("? [1, !odd 2]\n: 3\n", 1),                      # inside a collection used as a key
    ("a: &x [1, !odd 2]\nb: *x\nc: *x\n", 1),         # shared by aliases: reported once
    ("a: =\n", 1),                                    # YAML 1.1's value key (!!value)
    ("!odd [1, 2]\n", 1),                             # the root itself
])
def test_every_tag_is_found_wherever_it_is(tmp_path: Path, text: str, line: int):
    """The quick all-standard check and the reporting walk agree (yamlread._check_tags)."""
    from layout.model.yamlread import Reader
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    reader = Reader(path)
    assert reader.parse() is None
    assert [(d.code, d.line) for d in reader.errors] == [("yaml-tag", line)]


def test_aliases_of_aliases_are_walked_once(tmp_path: Path):
    """Nine levels of nine aliases name 9**9 nodes; each collection is entered once."""
    lines = ["l0: &l0 [a, b, c, d, e, f, g, h, i]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    path = tmp_path / "x.yaml"
    path.write_text("\n".join(lines) + "\nlast: !odd x\n", encoding="utf-8")
    from layout.model.yamlread import Reader
    reader = Reader(path)
    assert reader.parse() is None
    assert [(d.code, d.line) for d in reader.errors] == [("yaml-tag", 11)]
