"""The composer's fast paths give exactly what its general paths give (R1–R50 all apply).

The composer answers the common case cheaply (performance.md techniques 3 and 4): marks'
cells from a per-face table, line ends checked against their slack before the full
questions, lines that are neither shrunk nor stretched set from the steps next to their
non-Han characters only. `paragraph._compose(..., fast=False)` takes the general path at
every stage. Random paragraphs mixing Han, every punctuation class, Latin words, codes,
numbers, spaces and characters only a fallback face has, in one to three spans of the
real faces of the broadsheet style (with their fallback chains, R49), at random measures
and settings, must come out identical, float for float.

Some rewrites have no switch (the same function, computed another way); they are checked
here against the rule's plain definition: the break points (R4–R10), where a line may be
spaced out (R19), what a line may shrink (§3.5) and the classes (§3.2).
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.compose.classes import (
    _TABLE,
    BLANK_LEFT,
    CLASSES,
    WESTERN,
    classify,
    not_at_end,
    not_at_start,
)
from layout.compose.metrics import NO_STRETCH, _breaks, _may_stretch, _shrink_capacity, measure
from layout.compose.paragraph import Settings, Span, _compose
from layout.model.load_style import load_style
from layout.typeface import Faces

ROOT = Path(__file__).resolve().parent.parent
FONT_KEYS = ("song", "hei", "kai", "biaosong")

HAN = "本报讯记者会议城市新闻科技创造发展国家中华民族文明区一二三四五六七八九十"
MARKS = "".join(members for _, members, _ in CLASSES.values())
# Characters the main faces lack (R49): rare Han, Latin letters Noto CJK has not, beyond
# the BMP; an emoji no face has; a control character no class names.
RARE = "峯嫑㐂𡈼鍾鐘łşś\U0001F600\t"
WORDS = ("hyphenation", "composition", "newspaper", "GDP", "iPhone", "JavaScript", "ZTE5G",
         "https://www.example.com/path/to?x=1&y=2", "user@example.org", "A-380", "4.18",
         "35,790", "2023-12-29", "12%", "¥100", "3×4", "C++", "Łódź", "José", "HTTP/2",
         "——", "……", "…………", "  ", " ", "\u3000", "·", "／", "/", "—", "⸺")

FASTPATH_SETTINGS = settings(max_examples=250, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow,
                                                    HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def faces():
    style = load_style(ROOT / "styles" / "broadsheet.yaml")
    chain = Faces(style.fonts, style.fallback)
    return {key: chain[key] for key in FONT_KEYS}


tokens = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=14),
    st.sampled_from(MARKS),
    st.sampled_from(WORDS),
    st.text(alphabet=HAN, min_size=1, max_size=14),
    st.sampled_from(RARE),
    st.integers(0, 10 ** 8).map(str),
)
texts = st.lists(tokens, min_size=1, max_size=40).map("".join)
composer_settings = st.builds(
    Settings,
    size=st.sampled_from([7.5, 9.0, 10.5, 12.0]),
    indent=st.sampled_from([0.0, 1.0, 2.0]),
    kinsoku=st.sampled_from(["gb", "basic", "strict"]),
    tracking=st.sampled_from([0.0, 0.0, 0.05, -0.03]),
    justify=st.booleans(),
    trim_opening=st.booleans(),
    punctuation=st.sampled_from(["quanjiao", "kaiming"]),
    max_stretch=st.sampled_from([0.25, 0.1, 0.5]),
)


@FASTPATH_SETTINGS
@given(parts=st.lists(st.tuples(texts, st.sampled_from(FONT_KEYS)), min_size=1, max_size=3),
       setting=composer_settings,
       widths=st.lists(st.sampled_from([4.0, 5.5, 6.0, 8.0, 10.0, 12.25, 13.0, 15.0, 20.0,
                                        30.0]), min_size=1, max_size=3))
def test_fast_path_sets_the_lines_the_general_path_sets(faces, parts, setting, widths):
    """R1–R50: both paths, every field of every line and piece, exactly equal."""
    spans = [Span(text, key, faces[key]) for text, key in parts]
    measures = [width * setting.size for width in widths]
    fast = _compose(spans, measures, setting, fast=True)
    general = _compose(spans, measures, setting, fast=False)
    assert [tuple(line) for line in fast] == [tuple(line) for line in general]
    assert fast, "a paragraph with text sets at least one line"
    m_fast, m_general = measure(spans, setting, True), measure(spans, setting, False)
    for field in dataclasses.fields(m_fast):
        assert getattr(m_fast, field.name) == getattr(m_general, field.name), field.name


def test_fast_path_sets_the_sample_edition_as_the_general_path(faces):
    """The sample edition's body paragraphs at the broadsheet's and other measures."""
    from layout.compose.normalize import normalize
    from layout.model.load import load_edition

    edition = load_edition(ROOT / "editions" / "hucheng-2023-12-29.yaml")
    setting = Settings(size=9.0)
    count = 0
    for article in edition.articles:
        for paragraph in article.body:
            spans = [Span(normalize(paragraph.text)[0], "song", faces["song"])]
            if paragraph.runin:
                spans.insert(0, Span(paragraph.runin, "hei", faces["hei"]))
            for width in (117.0, 81.0, 153.0, 45.0):
                fast = _compose(spans, [width], setting, fast=True)
                assert fast == _compose(spans, [width], setting, fast=False)
                count += len(fast)
    assert count > 1000


# ----------------------------------------------------------------------------- rewrites

class_strings = st.text(alphabet="HHHHOCPSDMKVXRTNLJWI/\t", max_size=60)


@given(cls=class_strings, kinsoku=st.sampled_from(["gb", "basic", "strict"]))
def test_break_points_follow_their_definition(cls, kinsoku):
    """R4, R5 (避头尾), R6–R10 (unbreakable runs): brk[i] from the rule, position by position."""
    no_start, no_end = not_at_start(kinsoku), not_at_end(kinsoku)
    expected = [False] + [
        not (b in no_start or a in no_end or (a in WESTERN and b in WESTERN)
             or (a == "X" and b == "X") or b == "W" or (kinsoku == "strict" and b == "X"))
        for a, b in zip(cls, cls[1:])] + [True]
    assert _breaks(cls, kinsoku)[:len(cls) + 1] == expected[:len(cls) + 1]
    if not cls:
        return
    assert _breaks(cls, kinsoku)[len(cls)] is True


@given(cls=class_strings)
def test_no_stretch_positions_are_where_spacing_is_not_allowed(cls):
    """R19: the regex's positions are exactly those _may_stretch refuses."""
    found = {match.start() for match in NO_STRETCH.finditer(cls)}
    assert {j for j in range(1, len(cls)) if not _may_stretch(cls, j)} == \
        {j for j in found if 0 < j < len(cls)}


@given(text=texts, data=st.data())
def test_shrink_capacity_is_the_sum_over_the_line(faces, text, data):
    """§3.5: what a line may shrink, against the plain loop over its characters (same
    additions in the same order, so equal to the last bit)."""
    setting = Settings(size=9.0)
    m = measure([Span(text, "song", faces["song"])], setting)
    n = len(m.text)
    s = data.draw(st.integers(0, n - 1))
    e = data.draw(st.integers(s + 1, n))
    total = 0.0
    for i in range(s, e - 1):
        total += m.cut[i]
        if i > s and m.latin[i]:
            total += m.gap[i] - setting.tracking - setting.latin_gap_min
        if m.cls[i] == "W":
            total += max(0.0, m.cell[i] - 0.25)
    if m.cls[s] in BLANK_LEFT:
        total -= m.cut[s]
    assert _shrink_capacity(m, s, e, setting) == max(0.0, total)


def test_classes_of_every_character_kind():
    """§3.2: the list table gives what the class table gives, beyond the BMP too."""
    def by_dict(text: str) -> str:
        return text.translate(_TABLE).encode("ascii", "replace").decode("ascii") \
            .replace("?", "H")

    rng = random.Random(11)
    for _ in range(300):
        text = "".join(chr(rng.choice([rng.randint(0, 0x2FF), rng.randint(0x3000, 0x303F),
                                       rng.randint(0xFF00, 0xFFEF), rng.randint(0, 0x10FFFF)]))
                       for _ in range(rng.randint(0, 40)))
        assert classify(text) == by_dict(text)


@given(cls=class_strings)
def test_adjacent_pairs_are_counted_position_by_position(cls):
    """R12: the quality report's pairs of adjacent full-width marks, by their definition."""
    from layout.compose.classes import FULL_WIDTH_MARKS
    from layout.compose.quality import _PAIRS

    expected = sum(a in FULL_WIDTH_MARKS and b in FULL_WIDTH_MARKS for a, b in zip(cls, cls[1:]))
    assert sum(len(run) - 1 for run in _PAIRS.findall(cls)) == expected
