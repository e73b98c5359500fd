"""Line composition rules on a synthetic font where every position is exact.

Each test names the reference rule (chinese-newspaper-typesetting.md §6) it checks.
"""

from __future__ import annotations

import pytest

from layout.compose.classes import NOT_AT_END_GB, NOT_AT_START_GB, classify
from layout.compose.normalize import normalize
from layout.compose.paragraph import Settings, Span, compose

SIZE = 10.0


def lines_of(face, text, chars=10, indent=0.0, **kw):
    settings = Settings(size=SIZE, indent=indent, **kw)
    return compose([Span(text, "t", face)], [chars * SIZE], settings)


def line_text(line):
    return "".join(p.text for p in line.pieces)


def glyph_xs(face, line):
    """Pen x of every glyph of a line, from the run's tracking and TJ adjustments."""
    xs = []
    for piece in line.pieces:
        adjust = dict(piece.adjust)
        x = piece.x
        for j in range(len(piece.text)):
            if j:
                x += face.advance(piece.text[j - 1]) * SIZE + piece.tracking
                x += adjust.get(j, 0.0)
            xs.append(x)
    return xs


def test_R4_R5_no_forbidden_line_edges(test_face):
    text = "一二三四五六七八九，十百千万亿“天地”人和日月。山水火木金土（本报讯）记者会议" * 3
    for chars in range(5, 14):
        lines = lines_of(test_face, text, chars)
        for line in lines[1:]:
            assert classify(line_text(line)[0]) not in NOT_AT_START_GB, (chars, line_text(line))
        for line in lines[:-1]:
            assert classify(line_text(line)[-1]) not in NOT_AT_END_GB, (chars, line_text(line))


def test_R16_justified_lines_end_at_the_column_edge(test_face):
    text = "一二三四五六七八九，十百千万亿“天地”人和日月。山水火木金土" * 4
    for line in lines_of(test_face, text, 9)[:-1]:
        assert line.width == pytest.approx(9 * SIZE, abs=0.01)
        assert max(p.right for p in line.pieces) == pytest.approx(9 * SIZE, abs=0.01)


def test_R13_line_end_mark_is_half_width(test_face):
    # Nine Han and a comma: the comma ends the line at half width, ink at the edge.
    lines = lines_of(test_face, "一二三四五六七八九，十百千", 10)
    first = lines[0]
    assert line_text(first) == "一二三四五六七八九，"
    xs = glyph_xs(test_face, first)
    # Nine and a half ems set, stretched by 0.5 em over the eight gaps between Han
    # characters (none before the comma, R19): the comma's half cell ends at the edge.
    assert first.stretch == pytest.approx(0.5 / 8)
    assert xs[-1] == pytest.approx(9.5 * SIZE)
    assert first.width == pytest.approx(10 * SIZE)
    assert xs[-1] + test_face.ink["，"][1] * SIZE <= 10 * SIZE


def test_R12_adjacent_marks_take_one_and_a_half_em(test_face):
    lines = lines_of(test_face, "天地。”人和", 20)
    xs = glyph_xs(test_face, lines[0])
    assert xs[3] - xs[2] == pytest.approx(0.5 * SIZE)   # 。 loses its blank half
    assert xs[4] - xs[3] == pytest.approx(1.0 * SIZE)
    lines = lines_of(test_face, "天地，“人和", 20)
    xs = glyph_xs(test_face, lines[0])
    # ，“ : one blank half goes, so the pair advances 1.5 em in all
    assert xs[4] - xs[2] == pytest.approx(1.5 * SIZE)
    assert xs[3] - xs[2] == pytest.approx(0.5 * SIZE)


def test_R6_inseparable_dash_and_ellipsis(test_face):
    text = "一二三四五六七八——九十百千万亿天地人和……日月山水火"
    for chars in range(5, 12):
        for line in lines_of(test_face, text, chars):
            t = line_text(line)
            assert not t.startswith("—") or t.startswith("——")
            assert not t.endswith("—") or t.endswith("——")
            assert not t.startswith("…") or t.startswith("……")


def test_R8_digit_runs_are_never_split(test_face):
    text = "会议城市新闻科技创造发展72.7%国家中华2023年民族文明"
    for chars in range(6, 14):
        joined = [line_text(line) for line in lines_of(test_face, text, chars)]
        for number in ("72.7%", "2023"):
            assert any(number in t for t in joined), (chars, joined)


def test_R21_han_latin_gap_is_a_quarter_em(test_face):
    lines = lines_of(test_face, "天地12人和", 20)
    xs = glyph_xs(test_face, lines[0])
    assert xs[2] - xs[1] == pytest.approx(1.25 * SIZE)    # 地 → 1
    assert xs[3] - xs[2] == pytest.approx(0.5 * SIZE)     # 1 → 2, no gap inside the number
    assert xs[4] - xs[3] == pytest.approx(0.75 * SIZE)    # 2 → 人: 0.5 em digit + 0.25 gap


def test_R17_last_line_is_flush_left_and_natural(test_face):
    lines = lines_of(test_face, "一二三四五六七八九十百千万亿天", 10)
    last = lines[-1]
    assert last.last
    assert last.stretch == 0
    assert glyph_xs(test_face, last)[0] == 0.0


def test_R22_first_line_indented_two_em(test_face):
    lines = lines_of(test_face, "一二三四五六七八九十百千万亿天地人和", 10, indent=2.0)
    assert glyph_xs(test_face, lines[0])[0] == pytest.approx(2 * SIZE)
    assert line_text(lines[0]) == "一二三四五六七八"
    assert glyph_xs(test_face, lines[1])[0] == 0.0


def test_R23_last_line_never_holds_a_single_han(test_face):
    # 21 Han in 10-em lines would leave one alone on the third line.
    lines = lines_of(test_face, "一二三四五六七八九十百千万亿天地人和日月山", 10)
    assert len(line_text(lines[-1])) >= 2
    for line in lines[:-1]:
        assert line.width == pytest.approx(10 * SIZE, abs=0.01)


def test_text_preserved_in_order(test_face):
    text = "本报讯（记者）会议“城市”新闻，科技创造。发展72.7%国家——中华民族……文明"
    for chars in range(4, 15):
        assert "".join(line_text(line) for line in lines_of(test_face, text, chars)) == text


def test_push_in_squeezes_punctuation_before_pushing_out(test_face):
    # Ten Han fill the line; the closing quote and stop must not start the next line.
    # Squeezing the comma's blank (0.5 em) plus the stop at half width fits 。 on the line.
    text = "一二，三四五六七八九十。百千"
    lines = lines_of(test_face, text, 10)
    assert line_text(lines[0]) == "一二，三四五六七八九十。"[:len(line_text(lines[0]))]
    assert not line_text(lines[1]).startswith("。")
    assert lines[0].width == pytest.approx(10 * SIZE, abs=0.01)


def test_R1_ascii_marks_in_chinese_context_become_full_width():
    text, changes = normalize("本报讯(记者张亚丹)12月29日上午,完成率超72.7%;时间15:36,变/配电房")
    assert text == "本报讯（记者张亚丹）12月29日上午，完成率超72.7%；时间15:36，变/配电房"
    assert [c.old for c in changes] == ["(", ")", ",", ";", ","]


def test_R3_space_between_han_in_headlines_is_one_em():
    assert normalize("强化巡中指导 力促巡察提质增效", display=True)[0] == \
        "强化巡中指导\u3000力促巡察提质增效"
    assert normalize("强化巡中指导 力促巡察提质增效")[0] == "强化巡中指导力促巡察提质增效"


def test_R7_strict_level_keeps_dash_off_the_line_start(test_face):
    text = "一二三四五六七八九十——百千万"
    for chars in range(5, 14):
        for line in lines_of(test_face, text, chars, kinsoku="strict")[1:]:
            assert not line_text(line).startswith("—"), (chars, line_text(line))


def test_R10_chains_of_marks_stay_together(test_face):
    text = "一二三四五六七八九。”）十百千万亿天地人和"
    for chars in range(4, 14):
        for line in lines_of(test_face, text, chars)[1:]:
            assert line_text(line)[0] not in "。”）", (chars, line_text(line))


def test_R11_mid_line_marks_keep_a_full_em(test_face):
    lines = lines_of(test_face, "天地，人和。日月", 20)
    xs = glyph_xs(test_face, lines[0])
    assert xs[3] - xs[2] == pytest.approx(SIZE)      # ， mid-line: 1 em
    assert xs[6] - xs[5] == pytest.approx(SIZE)      # 。 mid-line: 1 em


def test_R14_opening_mark_at_a_wrapped_line_start_loses_its_blank(test_face):
    lines = lines_of(test_face, "一二三四五六七八九十“百千”万亿", 10)
    second = lines[1]
    assert line_text(second).startswith("“")
    first_x = glyph_xs(test_face, second)[0]
    ink_left = first_x + test_face.ink["“"][0] * SIZE
    assert first_x == pytest.approx(-0.5 * SIZE)     # the blank half hangs before the edge
    assert 0 <= ink_left <= 0.15 * SIZE               # the ink starts at the column edge
    assert second.pieces[0].left == pytest.approx(0.0)


def test_R15_interpunct_and_dash_widths(test_face):
    lines = lines_of(test_face, "天地·人和——日月", 30)
    xs = glyph_xs(test_face, lines[0])
    # · sits centred in a half-em cell; —— takes 2 em.
    assert xs[3] - xs[1] == pytest.approx(1.5 * SIZE)
    assert xs[7] - xs[5] == pytest.approx(2.0 * SIZE)


def test_R19_no_stretch_inside_numbers_or_dashes(test_face):
    # Lines that must stretch keep the number and the dash at their natural spacing.
    text = "一2023二——三四五六七八九十百千万亿天地人和2023日——月"
    stretched = 0
    for tenths in range(100, 160, 3):
        for line in lines_of(test_face, text, tenths / 10)[:-1]:
            if line.stretch <= 0:
                continue
            stretched += 1
            t = line_text(line)
            xs = glyph_xs(test_face, line)
            for i in (m for m in range(len(t) - 1) if t[m:m + 2].isdigit()):
                assert xs[i + 1] - xs[i] == pytest.approx(0.5 * SIZE), t
            for i in (m for m in range(len(t) - 1) if t[m:m + 2] == "——"):
                assert xs[i + 1] - xs[i] == pytest.approx(1.0 * SIZE), t
    assert stretched > 5


def test_R20_shrink_before_stretch(test_face):
    # 11 Han + comma in a 11.5-em line fits by squeezing the comma, never by stretching.
    lines = lines_of(test_face, "一二三四五，六七八九十百千万亿天", 11.5)
    first = lines[0]
    assert first.stretch == 0
    assert first.width == pytest.approx(11.5 * SIZE, abs=0.01)


def test_R9_long_latin_word_breaks_only_when_it_cannot_fit(test_face):
    lines = lines_of(test_face, "一二ABCDEFGHIJKLMNOPQRSTUVWXYZ三四", 6)
    assert any(line.forced for line in lines)
    assert "".join(line_text(line) for line in lines) == "一二ABCDEFGHIJKLMNOPQRSTUVWXYZ三四"
    short = lines_of(test_face, "一二三四五ABCD六七八九十", 8)
    assert not any(line.forced for line in short)
    assert any("ABCD" in line_text(line) for line in short)


def test_R19_western_lines_stretch_at_word_spaces_not_between_letters(test_face):
    lines = lines_of(test_face, "ABC DEF GHI JKLMNOPQ RST", 6)
    first = lines[0]
    assert line_text(first).startswith("ABC DEF")
    xs = glyph_xs(test_face, first)
    text = line_text(first)
    for j in range(len(text) - 1):
        if text[j] != " " and text[j + 1] != " ":
            assert xs[j + 1] - xs[j] == pytest.approx(0.5 * SIZE), text   # letters untouched
    assert first.width == pytest.approx(6 * SIZE, abs=0.01)


def test_R9_R47_a_url_longer_than_the_column_breaks_at_its_separators(test_face):
    lines = lines_of(test_face, "一二http://abc.de/fghij/klmno/pqrst三四", 8)
    assert not any(line.forced for line in lines)
    # R47: after "//", before "." and "/", never elsewhere inside the address.
    for line, after in zip(lines, lines[1:]):
        if line.broken:
            assert line_text(line).endswith("//") or line_text(after)[0] in "./", \
                [line_text(x) for x in lines]
