"""Newsroom copy in narrow columns, on the synthetic font (rules R8, R46–R50).

Web addresses, e-mail addresses, contract numbers, CamelCase names and English
words break where R46/R47 allow instead of letter-spacing the line before them
(R48); numbers with their units stay whole (R8); characters the face lacks come
from the fallback chain (R49); a character beyond the BMP is one character (R50).
"""

from __future__ import annotations

import pytest
from synthetic_font import FALLBACK_ONLY

from layout.compose.breaks import HYPHEN, UNIT, soft_breaks
from layout.compose.classes import classify
from layout.compose.paragraph import Settings, Span, compose
from layout.compose.quality import paragraph_quality

SIZE = 10.0
LIMIT = Settings(size=SIZE).max_stretch


def compose_text(face, text, chars, fallback=(), indent=0.0):
    settings = Settings(size=SIZE, indent=indent)
    return compose([Span(text, "t", face, fallback)], [chars * SIZE], settings)


def texts(lines):
    return ["".join(p.text for p in line.pieces) for line in lines]


def source(line):
    text = "".join(p.text for p in line.pieces)
    return text[:-1] if line.broken == HYPHEN else text


def check_r48(text, lines):
    """No line stretched past R18 unless it is reported loose with its cause (R48)."""
    for line in lines[:-1]:
        if line.stretch > LIMIT + 1e-6:
            assert line.loose and line.cause, (texts(lines), line)
    assert "".join(source(line) for line in lines) == text


CODES = [
    "请登录https://www.hcgov.cn/zwfw/2023/1229.html?id=35&k=2办理相关业务",
    "来稿请发邮件至zhang_wei.news@hucheng-daily.com.cn并注明联系电话",
    "双方签订的合同编号为HC-2023-GF-0815-ZB-001-A号，金额已到账",
    "该村引进的HuchengSmartAgriCloudPlatform平台已上线运行",
    "企业采购了型号为XJ-9000Pro/8T8R-5G的设备共十台",
]


@pytest.mark.parametrize("text", CODES)
@pytest.mark.parametrize("chars", [8, 10, 13])
def test_R47_R48_codes_break_at_separators_not_by_letter_spacing(test_face, text, chars):
    lines = compose_text(test_face, text, chars)
    check_r48(text, lines)
    q = paragraph_quality(text, lines)
    assert q.forced_breaks == 0 and q.forbidden_starts == 0 and q.forbidden_ends == 0, \
        texts(lines)
    for line, after in zip(lines, lines[1:]):
        if line.broken == UNIT:
            end, start = source(line)[-1], source(after)[0]
            # R47: after // or : or a hyphen already there, before / . _ ? # % ~ @,
            # around = &, or before an inner capital of a CamelCase name; no hyphen added.
            assert end in "/:-=&" or start in "/._?#%~@=&" or (end.islower() and
                                                               start.isupper()), texts(lines)


@pytest.mark.parametrize("text", CODES)
def test_R47_no_space_inside_a_code(test_face, text):
    """Inside a code every glyph advances by its own width: no tracking, no TJ gap."""
    lines = compose_text(test_face, text, 13)
    for line in lines:
        for piece in line.pieces:
            adjust = dict(piece.adjust)
            for j in range(1, len(piece.text)):
                a, b = classify(piece.text[j - 1]), classify(piece.text[j])
                if a in "NLJ/" and b in "NLJ/":
                    assert abs(piece.tracking + adjust.get(j, 0.0)) < 1e-6, piece


def test_R47_existing_hyphen_stays_at_the_line_end(test_face):
    text = "合同编号HC-2023-GF-0815-ZB-001-A号"
    lines = compose_text(test_face, text, 8)
    broken = [line for line in lines if line.broken == UNIT]
    assert broken, texts(lines)
    for line in broken:
        assert source(line).endswith("-"), texts(lines)
    assert not any(t.startswith("-") for t in texts(lines))


def test_R47_break_points_are_chicago_style():
    text = "见https://a.bc/de_f?x=1&y=2与ab.cd@ef.gh"
    points = soft_breaks(text, classify(text))
    pieces = [text[i - 2:i] + "|" + text[i:i + 2] for i in sorted(points)]
    assert "//|a." in pieces                      # after //
    assert "ps|:/" not in pieces                  # not between http and :
    assert "/a|.b" in pieces and "bc|/d" in pieces and "de|_f" in pieces
    assert "_f|?x" in pieces and "?x|=1" in pieces and "x=|1&" in pieces
    assert "cd|@e" in pieces


def test_R8_numbers_with_units_are_never_broken():
    for text in ["收入35,790元", "气温-12℃", "误差±0.5mm以内", "销量4.18万件", "面积35㎡"]:
        points = soft_breaks(text, classify(text))
        assert not points, (text, points)


@pytest.mark.parametrize("chars", range(8, 15))
def test_R8_R48_a_number_that_does_not_fit_moves_without_a_loose_line(test_face, chars):
    filler = "一二三四五六七八九十百千万亿天地人和日月山水火木金土本报讯记者会议城市新闻"
    text = (filler + "收入1,234,567元，" + filler + "气温-12℃，" + filler + "误差±0.5mm，"
            + filler + "销量4.18万件，" + filler)
    lines = compose_text(test_face, text, chars, indent=2.0)
    joined = "|".join(texts(lines))
    for number in ["1,234,567", "-12℃", "±0.5mm", "4.18"]:
        assert number in joined, (number, joined)           # never split (R8)
    check_r48(text, lines)
    assert not any(line.loose for line in lines), joined


WORDS = ("据报道，the committee recommended comprehensive international standardization "
         "of documentation，并表示支持")


@pytest.mark.parametrize("chars", [6, 8, 10, 13])
def test_R46_english_words_hyphenate_at_dictionary_points(test_face, chars):
    lines = compose_text(test_face, WORDS, chars)
    check_r48(WORDS, lines)
    hyphenated = [k for k, line in enumerate(lines) if line.broken == HYPHEN]
    for k in hyphenated:
        line, after = lines[k], lines[k + 1]
        assert texts([line])[0].endswith("-")
        assert k + 1 not in hyphenated                     # never twice in a row
        left = source(line).split(" ")[-1]
        right = source(after).split(" ")[0].rstrip("，")
        word = left + right
        assert len(word) >= 5 and len(left) >= 2 and len(right) >= 2, (left, right)
    assert paragraph_quality(WORDS, lines).forced_breaks == 0


def test_R46_hyphenation_only_when_the_line_would_be_loose(test_face):
    # Plenty of Han text to break at: no English word needs to be hyphenated.
    text = "一二三四五六七八九十 information 百千万亿天地人和日月山水"
    lines = compose_text(test_face, text, 10)
    assert not any(line.broken for line in lines), texts(lines)


def test_R46_short_words_never_hyphenate():
    text = "the four best word"
    assert not soft_breaks(text, classify(text))


def test_R48_loose_line_is_reported_with_its_cause(test_face):
    # A code with no separator and no capital: no legal break inside it at all.
    text = "一二三四五六七编号ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789号"
    lines = compose_text(test_face, text, 13)
    loose = [line for line in lines if line.loose]
    assert loose and all(line.cause for line in loose)
    assert any(line.cause.startswith("ABCDEF") for line in loose), [x.cause for x in loose]


def test_R49_characters_the_face_lacks_come_from_the_fallback_face(test_face, fallback_face):
    text = "本报讯记者" + FALLBACK_ONLY + "城市新闻"
    lines = compose_text(test_face, text, 30, fallback=(("fb", fallback_face),))
    pieces = [p for line in lines for p in line.pieces]
    assert "".join(p.text for p in pieces) == text
    for piece in pieces:
        face = fallback_face if piece.font == "fb" else test_face
        assert all(face.has(ch) for ch in piece.text), piece
    assert "".join(p.text for p in pieces if p.font == "fb") == FALLBACK_ONLY
    # Each fallback character is measured with the fallback face: 1 em, no gaps.
    line = lines[0]
    assert line.width == pytest.approx(len(text) * SIZE)


def test_R49_without_a_chain_the_character_stays_in_the_role_face(test_face):
    lines = compose_text(test_face, "本报讯峯", 10)
    assert [p.font for p in lines[0].pieces] == ["t"]


def test_R50_a_character_beyond_the_bmp_is_one_character(test_face, fallback_face):
    text = "一二三𡈼四五六七八九十𡈼百千万"
    assert len(text) == 15 and classify(text) == "H" * 15
    for chars in range(3, 9):
        lines = compose_text(test_face, text, chars, fallback=(("fb", fallback_face),))
        assert "".join(source(line) for line in lines) == text
        for line in lines[:-1]:
            assert line.end - line.start in (chars, chars - 1), texts(lines)   # one em each

            assert line.width == pytest.approx(chars * SIZE)
