"""Property test for newsroom copy (R46–R50) on the synthetic fonts.

Random mixes of Han text, English words, URLs and e-mail addresses, numbers with
units and characters the test font lacks (some beyond the BMP, printed from the
fallback face) are composed at random measures. Whatever the mix:

- no line is wider than its measure;
- every character is set in a face that has it (no .notdef);
- no gap between characters is stretched past R18's limit unless the line is
  reported loose and names its cause (R48);
- the lines give back the source, less the hyphens R46 adds.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synthetic_font import FALLBACK_ONLY, HAN

from layout.compose.breaks import HYPHEN
from layout.compose.paragraph import Settings, Span, compose

SIZE = 10.0
TOL = 0.01

words = st.sampled_from(["information", "international", "documentation", "news", "paper",
                         "committee", "standardization", "José", "Muñoz", "Paweł", "Søren"])
codes = st.sampled_from(["https://www.hcgov.cn/zwfw/2023/1229.html?id=35&k=2",
                         "zhang_wei.news@hucheng-daily.com.cn", "HC-2023-GF-0815-ZB-001-A",
                         "HuchengSmartAgriCloudPlatform", "XJ-9000Pro/8T8R-5G", "/data/hc/2024/"])
numbers = st.sampled_from(["35,790万", "-12℃", "±0.5mm", "4.18万", "72.7%", "2023"])
han = st.integers(1, 12).map(lambda n: (HAN * 2)[:n])
rare = st.text(alphabet=FALLBACK_ONLY, min_size=1, max_size=3)
parts = st.lists(st.one_of(han, words.map(lambda w: f" {w} "), codes, numbers, rare,
                           st.sampled_from(["，", "。", "“", "”"])), min_size=2, max_size=14)


@st.composite
def cases(draw):
    text = "".join(draw(parts)).strip()
    text = text.replace("  ", " ")
    return text, draw(st.integers(6, 28)), draw(st.sampled_from([0.0, 2.0]))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_R46_R50_random_copy(test_face, fallback_face, case):
    text, chars, indent = case
    if not text:
        return
    limit = Settings(size=SIZE).max_stretch
    lines = compose([Span(text, "t", test_face, (("fb", fallback_face),))], [chars * SIZE],
                    Settings(size=SIZE, indent=indent))
    faces = {"t": test_face, "fb": fallback_face}
    source = []
    for line in lines:
        info = (text, chars, indent, ["".join(p.text for p in x.pieces) for x in lines])
        assert line.width <= chars * SIZE + TOL or line.forced, info
        for piece in line.pieces:
            assert piece.right <= chars * SIZE + TOL or line.forced, info
            # R49: every character in a face that has it (the test font has a space glyph).
            assert all(faces[piece.font].has(ch) for ch in piece.text), (piece, info)
        if line.stretch > limit + 1e-6:
            assert line.loose and line.cause, info                      # R48
        set_text = "".join(p.text for p in line.pieces)
        source.append(set_text[:-1] if line.broken == HYPHEN else set_text)
    assert "".join(source) == text
