"""Property tests for line composition (reference §3.3–§3.9, rules R4–R23).

Random paragraphs mixing Han text, full-width punctuation, ——/……, the
interpunct, digit runs (with a decimal point and %) and Latin words are composed
on the synthetic test font, where every glyph's advance and ink is known
exactly, at measures of 6–20 em, sizes of 9–12 pt and an indent of 0 or 2 em.

Each test names the reference rules (chinese-newspaper-typesetting.md §6) it
checks. The oracles below (legal break points, the narrowest width a run of
text can be set in) are written from the reference, not from the composer.
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from synthetic_font import HAN, LEFT_INK, RIGHT_INK

from layout.compose.breaks import HYPHEN
from layout.compose.classes import NOT_AT_END_GB, NOT_AT_START_GB, WESTERN, classify
from layout.compose.paragraph import Settings, Span, compose

TOL = 0.01                      # pt
EMTOL = 1e-6                    # em, for comparisons of positions in em

PUNCT_CLASSES = frozenset("OCPSDMKVX/")     # marks that may sit next to a lone Han (孤字)
OPENING = frozenset(RIGHT_INK)               # ink in the right half, blank on the left
HAN_INK = (0.05, 0.95)
WESTERN_INK = (0.05, 0.45)

# Inseparable runs (R6, R8, R9): ——, …… (and a run of them: "…………" stands as one
# unit, reference §3.3 B5), a digit run with its decimal point and percent sign,
# a Latin word.
INSEPARABLE = re.compile(r"(?:——|……)+|\d+(?:\.\d+)?%?|[A-Za-z]+")

PROPERTY_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ----------------------------------------------------------------------------- strategies

# Within a class every glyph of the test font has the same advance and ink, so
# only a paragraph's structure is drawn (token kinds, lengths, which mark);
# characters are then dealt in turn from HAN, the digits and the alphabet. That
# keeps generation cheap and shrunk examples readable ("一二三", "1234", "abcd").
marks = st.one_of(
    st.sampled_from(LEFT_INK),          # closing, pause, stop, dividing marks
    st.sampled_from(RIGHT_INK),         # opening marks
    st.sampled_from(["——", "……", "·"]),
)
word_lengths = st.one_of(st.integers(1, 6), st.integers(7, 18))   # long ones exceed a measure
han_tokens = st.tuples(st.just("han"), st.integers(1, 8))
tokens = st.one_of(
    han_tokens,
    st.tuples(st.just("mark"), marks),
    # digits, decimals (0 = no decimal point), percent sign
    st.tuples(st.just("digits"), st.integers(1, 4), st.integers(0, 2), st.booleans()),
    han_tokens,
    st.tuples(st.just("mark"), marks),
    st.tuples(st.just("latin"), st.lists(word_lengths, min_size=1, max_size=3)),
)


class _Dealer:
    """Hands out characters of each class in turn."""

    def __init__(self) -> None:
        self.count = {"han": 0, "digit": 0, "letter": 0}

    def take(self, kind: str, n: int) -> str:
        source = {"han": HAN, "digit": "1234567890", "letter": string.ascii_lowercase}[kind]
        start = self.count[kind]
        self.count[kind] += n
        return "".join(source[(start + i) % len(source)] for i in range(n))


def assemble(drawn: list[tuple]) -> str:
    """Tokens in order: at most two marks in a row, Latin words always between Han,
    no two numbers run together, and no paragraph ending with an opening mark."""
    deal = _Dealer()
    parts: list[tuple[str, str]] = []

    def han(n: int = 1) -> None:
        parts.append(("han", deal.take("han", n)))

    for token in drawn:
        kind = token[0]
        prev = parts[-1][0] if parts else None
        if kind == "han":
            han(token[1])
        elif kind == "mark":
            if len(parts) >= 2 and parts[-1][0] == parts[-2][0] == "mark":
                han()
            parts.append(("mark", token[1]))
        elif kind == "digits":
            _, digits, decimals, percent = token
            if prev == "digits":
                han()
            run = deal.take("digit", digits)
            if decimals:
                run += "." + deal.take("digit", decimals)
            parts.append(("digits", run + "%" * percent))
        else:
            if prev != "han":
                han()
            parts.append(("latin", " ".join(deal.take("letter", n) for n in token[1])))
            han()
    if parts[-1][1][-1] in OPENING:
        han()
    return "".join(text for _, text in parts)


paragraphs = st.lists(tokens, min_size=1, max_size=24).map(assemble)


@st.composite
def cases(draw) -> tuple[str, int, float, float]:
    """(paragraph text, measure in em, size in pt, indent in em)."""
    text = draw(paragraphs)
    measure_em = draw(st.integers(min_value=6, max_value=20))
    size = draw(st.integers(min_value=900, max_value=1200)) / 100
    indent = draw(st.sampled_from([0.0, 2.0]))
    return text, measure_em, size, indent


# ----------------------------------------------------------------------------- helpers

def compose_case(face, case):
    text, measure_em, size, indent = case
    return compose([Span(text, "t", face)], [measure_em * size], Settings(size=size, indent=indent))


def line_text(line) -> str:
    return "".join(p.text for p in line.pieces)


def source_text(line) -> str:
    """The source characters a line sets: without the hyphen an R46 break adds."""
    text = line_text(line)
    return text[:-1] if line.broken == HYPHEN else text


def hyphenation_ok(text: str, i: int) -> bool:
    """R46: a break at i splits a Latin word of 5+ letters, leaving 2+ letters each side."""
    a = i
    while a > 0 and text[a - 1].isascii() and text[a - 1].isalpha():
        a -= 1
    b = i
    while b < len(text) and text[b].isascii() and text[b].isalpha():
        b += 1
    return b - a >= 5 and i - a >= 2 and b - i >= 2


def glyphs(face, line, size):
    """(char, pen x in pt) of every glyph of a line, as a renderer would place them."""
    out = []
    for piece in line.pieces:
        adjust = dict(piece.adjust)
        x = piece.x
        for j, ch in enumerate(piece.text):
            if j:
                x += face.advance(piece.text[j - 1]) * size + piece.tracking
                x += adjust.get(j, 0.0)
            out.append((ch, x))
    return out


def ink_of(face, ch):
    """(left, right) of a glyph's ink in em, None for a space."""
    if ch in face.ink:
        return face.ink[ch]
    c = classify(ch)
    if c == "W":
        return None
    if c in WESTERN:
        return WESTERN_INK
    return HAN_INK


def describe(case, lines) -> str:
    text, measure_em, size, indent = case
    shown = [(line_text(line), round(line.width / size, 3),
              "last" if line.last else "", "loose" if line.loose else "",
              "forced" if line.forced else "") for line in lines]
    return f"text={text!r} measure={measure_em}em size={size} indent={indent}\nlines={shown}"


def legal_breaks(text: str) -> list[bool]:
    """legal[i]: the reference allows a line to start at character i (R4–R6, R8, R9)."""
    cls = classify(text)
    n = len(text)
    legal = [True] * (n + 1)
    for i in range(1, n):
        legal[i] = not (cls[i] in NOT_AT_START_GB or cls[i - 1] in NOT_AT_END_GB
                        or text[i] == " ")       # a word space stays at the line end
    for run in INSEPARABLE.finditer(text):
        for i in range(run.start() + 1, run.end()):
            legal[i] = False
    return legal


def min_width(text: str, a: int, b: int) -> float:
    """Narrowest width (em) text[a:b] can be set in on one line, all compression applied."""
    cls = classify(text)
    total = 0.0
    for i in range(a, b):
        c = cls[i]
        if c in "HX":               # Han 1 em; each half of ——/…… 1 em
            total += 1.0
        elif c == "W":
            total += 0.0 if i == b - 1 else 0.25
        else:                      # marks down to their inked half; Western glyphs ½ em
            total += 0.5
        if i > a and ((c == "H" and cls[i - 1] in WESTERN) or
                      (c in WESTERN and cls[i - 1] == "H")):
            total += 0.125         # Han–Latin gap at its minimum (R21)
    if a == 0 and cls[0] == "O":
        total += 0.5               # no opening-mark trim on a paragraph's first line
    return total


def available(case, a: int) -> float:
    """Room (em) for a unit that starts at character a: the first line is indented."""
    _, measure_em, _, indent = case
    return measure_em - indent if a == 0 else measure_em


def cluster_around(legal: list[bool], i: int) -> tuple[int, int]:
    """The unbreakable stretch (between legal break points) containing boundary i."""
    a = i
    while a > 0 and not legal[a]:
        a -= 1
    b = i
    while b < len(legal) - 1 and not legal[b]:
        b += 1
    return a, b


def property_test(check):
    """Run `check(face, case)` as a hypothesis property over `cases()`.

    The fixture stays outside the hypothesis function, so a falsifying example
    prints only the case (text, measure in em, size, indent), not the font.
    Cases listed with `pinned` always run first.
    """

    def test(test_face):
        def run(case):
            check(test_face, case)

        run.__name__ = run.__qualname__ = check.__name__
        run = given(case=cases())(run)
        for case in reversed(getattr(check, "pinned", ())):
            run = example(case=case)(run)
        PROPERTY_SETTINGS(run)()

    test.__name__ = test.__qualname__ = check.__name__
    test.__doc__ = check.__doc__
    test.check = check
    return test


def pinned(*examples):
    """Cases found by hypothesis (or the rule tests) that a property must always try."""

    def mark(check):
        check.pinned = examples
        return check

    return mark


def boundaries(lines):
    """(index of the line before the break, character index of the break)."""
    return [(k, line.end) for k, line in enumerate(lines[:-1])]


# ----------------------------------------------------------------------------- properties

@property_test
@pinned(("一abcdefghijklmnopqr二", 6, 9.0, 0.0), ("“一二三四五六七，", 10, 9.0, 2.0))
def test_R13_R16_no_line_wider_than_its_measure(test_face, case):
    """1. Every piece and every glyph's ink stays within [0, measure]."""
    text, measure_em, size, indent = case
    lines = compose_case(test_face, case)
    info = describe(case, lines)
    measure = measure_em * size
    for line in lines:
        assert max(p.right for p in line.pieces) <= measure + TOL, info
        assert line.width <= measure + TOL, info
        placed = glyphs(test_face, line, size)
        first_char, first_x = placed[0]
        floor = -0.5 * size if first_char in OPENING else 0.0
        assert first_x >= floor - TOL, (first_char, first_x / size, info)
        for ch, x in placed:
            ink = ink_of(test_face, ch)
            if ink is None:
                continue
            assert x + ink[0] * size >= -TOL, (ch, x / size, info)
            assert x + ink[1] * size <= measure + TOL, (ch, x / size, info)


@property_test
@pinned(("一二，三四五六七八九十。百千", 10, 10.0, 0.0),
        ("一二三四“abcdefghijklmnopqr”五", 6, 9.0, 0.0))
def test_R4_R5_no_forbidden_line_start_or_end(test_face, case):
    """2. 避头尾 at the GB level, except at a break flagged `forced`."""
    lines = compose_case(test_face, case)
    info = describe(case, lines)
    for k, _ in boundaries(lines):
        if lines[k].forced:
            continue
        end_char = line_text(lines[k])[-1]
        start_char = line_text(lines[k + 1])[0]
        assert classify(end_char) not in NOT_AT_END_GB, (k, end_char, info)
        assert classify(start_char) not in NOT_AT_START_GB, (k + 1, start_char, info)
        assert start_char != " ", (k + 1, "line starts with a word space", info)


@property_test
@pinned(("一abcdefghijklmnopqr二", 6, 9.0, 0.0), ("一二三四五——六七1234.56%八", 6, 9.0, 2.0),
        ("“123.45%", 6, 9.0, 2.0), ("“————", 6, 9.0, 2.0), ("“abcdefgh", 6, 9.0, 2.0))
def test_R6_R8_R9_inseparable_runs_are_not_split(test_face, case):
    """3. No break inside ——, ……, a number or a Latin word unless it cannot fit."""
    text = case[0]
    lines = compose_case(test_face, case)
    info = describe(case, lines)
    legal = legal_breaks(text)
    runs = [(r.start(), r.end(), r.group()) for r in INSEPARABLE.finditer(text)]
    for k, i in boundaries(lines):
        for a, b, run in runs:
            if a < i < b and lines[k].broken == HYPHEN:
                # R46: a dictionary break, taken only to keep the line within R18 (R48).
                assert hyphenation_ok(text, i), (f"{run!r} hyphenated at {i - a}", info)
                assert lines[k - 1].broken != HYPHEN if k else True, ("twice", info)
            elif a < i < b:
                too_long = min_width(text, a, b) > available(case, cluster_around(legal, a)[0])
                assert too_long, (f"{run!r} split at {i - a}", info)
                assert lines[k].forced, (f"{run!r} split but not flagged forced", info)


@property_test
@pinned(("一abcdefghijklmnopqr二", 6, 9.0, 0.0), ("一二三四“abcdefghijklmnopqr”五", 6, 9.0, 0.0))
def test_R4_R9_forced_breaks_only_when_unavoidable(test_face, case):
    """3b. `forced` marks exactly the illegal breaks, and only where no legal one could do."""
    text = case[0]
    lines = compose_case(test_face, case)
    info = describe(case, lines)
    legal = legal_breaks(text)
    for k, i in boundaries(lines):
        if lines[k].broken == HYPHEN:
            assert not legal[i] and not lines[k].forced and hyphenation_ok(text, i), (k, i, info)
            continue
        assert lines[k].forced == (not legal[i]), (k, i, info)
        if not legal[i]:
            a, b = cluster_around(legal, i)
            assert min_width(text, a, b) > available(case, a) + EMTOL, \
                (f"forced break inside {text[a:b]!r}, which fits a line", info)
    assert not lines[-1].forced, info


@property_test
def test_R16_justified_lines_end_flush(test_face, case):
    """4. Every line but the last, a loose or a forced one ends exactly at the measure."""
    _, measure_em, size, _ = case
    lines = compose_case(test_face, case)
    info = describe(case, lines)
    for line in lines:
        if line.last or line.loose or line.forced:
            continue
        right = max(p.right for p in line.pieces)
        assert right == pytest.approx(measure_em * size, abs=TOL), (line_text(line), info)


@property_test
def test_text_is_preserved(test_face, case):
    """5. Lines joined back give the input text; ranges tile the paragraph."""
    text = case[0]
    lines = compose_case(test_face, case)
    info = describe(case, lines)
    assert "".join(source_text(line) for line in lines) == text, info
    position = 0
    for k, line in enumerate(lines):
        assert line.start == position, info
        assert line.end > line.start, info
        assert source_text(line) == text[line.start:line.end], info
        assert line.last == (k == len(lines) - 1), info
        position = line.end
    assert position == len(text), info


@property_test
@pinned(("“一二三四五六七，", 10, 9.0, 2.0), ("“1234.5一二", 6, 9.0, 0.0))
def test_R17_R22_lines_start_at_the_edge_and_last_is_natural(test_face, case):
    """6. The last line is not stretched; every line starts at the indent (first) or 0."""
    _, _, size, indent = case
    lines = compose_case(test_face, case)
    info = describe(case, lines)
    for k, line in enumerate(lines):
        first_char, first_x = glyphs(test_face, line, size)[0]
        start = indent * size if k == 0 else 0.0
        allowed = [start]
        if first_char in OPENING and start == 0.0:
            allowed.append(-0.5 * size)     # R14: an opening mark's blank half trimmed
        assert any(abs(first_x - a) <= TOL for a in allowed), (k, first_x / size, info)
    last = lines[-1]
    assert last.stretch == 0, info
    assert not last.loose, info
    # Natural spacing: nothing added between two Han, or inside a Latin word or number.
    placed = glyphs(test_face, last, size)
    for (c1, x1), (c2, x2) in zip(placed, placed[1:]):
        k1, k2 = classify(c1), classify(c2)
        if k1 == k2 == "H":
            assert x2 - x1 == pytest.approx(size, abs=TOL), (c1 + c2, info)
        elif k1 in WESTERN and k2 in WESTERN:
            assert x2 - x1 == pytest.approx(0.5 * size, abs=TOL), (c1 + c2, info)


@property_test
def test_R11_R12_glyph_order_and_no_ink_overlap(test_face, case):
    """7. Pens advance left to right; no two glyphs' ink overlap."""
    _, _, size, _ = case
    lines = compose_case(test_face, case)
    info = describe(case, lines)
    for line in lines:
        placed = glyphs(test_face, line, size)
        for (c1, x1), (c2, x2) in zip(placed, placed[1:]):
            if c2 in OPENING:
                assert x2 >= x1 - TOL, (c1 + c2, (x2 - x1) / size, info)
            else:
                assert x2 > x1 + TOL, (c1 + c2, (x2 - x1) / size, info)
        inked = [(ch, x + ink[0] * size, x + ink[1] * size)
                 for ch, x in placed if (ink := ink_of(test_face, ch)) is not None]
        for (c1, _, r1), (c2, l2, _) in zip(inked, inked[1:]):
            assert r1 <= l2 + TOL, (c1 + c2, (l2 - r1) / size, info)


@property_test
@pinned(("123.45一6", 6, 9.0, 2.0), ("一123%二三", 6, 9.0, 2.0), ("·——一a b二", 6, 9.0, 2.0))
def test_R19_no_space_added_inside_inseparable_runs(test_face, case):
    """(extra) Inside ——, ……, a number or a Latin word glyphs keep their natural
    advance (½ em Western, 1 em dash/ellipsis) unless the line is flagged loose."""
    text, _, size, _ = case
    lines = compose_case(test_face, case)
    info = describe(case, lines)
    for line in lines:
        if line.loose:
            continue
        xs = [x for _, x in glyphs(test_face, line, size)]
        for run in INSEPARABLE.finditer(text):
            for i in range(max(run.start(), line.start), min(run.end(), line.end) - 1):
                j = i - line.start
                natural = test_face.advance(text[i]) * size
                assert xs[j + 1] - xs[j] == pytest.approx(natural, abs=TOL), \
                    (text[i:i + 2], (xs[j + 1] - xs[j]) / size, line_text(line), info)


def is_lone(line_classes: str) -> bool:
    """One Han character and nothing else but punctuation (before or after it)."""
    return "".join(c for c in line_classes if c not in PUNCT_CLASSES) == "H"


def lone_last_avoidable(case) -> bool:
    """Some legal breaking of the paragraph has no 孤字 (what "genuinely impossible" means).

    Dynamic programming over the legal break points: a line may hold text[a:b]
    when its narrowest setting fits the line; the last line must hold at least
    two characters that are not punctuation. Loose lines are allowed.
    """
    text = case[0]
    n = len(text)
    legal = legal_breaks(text)
    points = [i for i in range(n + 1) if legal[i]]
    reached = {0}
    for a in points:
        if a not in reached:
            continue
        for b in points:
            if b <= a:
                continue
            if min_width(text, a, b) > available(case, a) + EMTOL:
                break
            if b == n and sum(c not in PUNCT_CLASSES for c in classify(text[a:])) < 2:
                continue
            reached.add(b)
    return n in reached


@property_test
@pinned(("一二三四五六七八九十百千万亿天地人和日月山", 10, 10.0, 0.0), ("一，二a三——", 6, 9.0, 0.0),
        ("一abcdefghij二", 6, 9.0, 0.0))
def test_R23_no_lone_han_on_the_last_line(test_face, case):
    """8. 孤字: a last line is not one Han (with punctuation) when that is avoidable."""
    lines = compose_case(test_face, case)
    info = describe(case, lines)
    if len(lines) < 2 or lines[-2].forced:
        return
    if is_lone(classify(line_text(lines[-1]))):
        assert not lone_last_avoidable(case), info
