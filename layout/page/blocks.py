"""Small text blocks: headline lines, captions, labels, the running head.

They use the same line composer as body text, then are aligned and stacked.
Their height is rounded up to whole grid lines by the caller (G3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from layout.compose.classes import WESTERN
from layout.compose.normalize import normalize
from layout.compose.paragraph import Line, Settings, Span, compose, measure
from layout.display import GlyphRun
from layout.model.style import RoleStyle
from layout.typeface import FaceMetrics


@dataclass(frozen=True, slots=True)
class Block:
    """Lines of one role, positioned relative to the block's top-left corner."""

    runs: tuple[GlyphRun, ...]
    height: float
    text: str


def line_runs(line: Line, x: float, baseline: float, size: float, color, role: str,
              article: str | None, para: int = -1,
              roles: Sequence[tuple[int, str]] = ()) -> list[GlyphRun]:
    """One glyph run per piece of `line`. `roles` gives (first character, role) of each
    span of the paragraph (a dateline runs in before the body: its pieces carry the role
    `dateline`, a run-in head `runin`); without it every run has `role`."""
    runs = []
    offset = line.start
    for p in line.pieces:
        name = role
        for start, span_role in roles:
            if offset >= start:
                name = span_role
        runs.append(GlyphRun(p.font, size, x + p.x, baseline, p.text, x + p.left, x + p.right,
                             p.tracking, p.adjust, color, name, article, para=para))
        offset += len(p.text)
    return runs


def _settings(role: RoleStyle, *, justify: bool) -> Settings:
    return Settings(size=role.size, indent=0.0, justify=justify, trim_opening=False,
                    min_last_line=1)


# Where a headline may break (reference §4.3), cheapest first: the editor's `|`, a
# phrase space, beside punctuation, between Han and Latin/digits, between two Han.
_BREAK_COST = {"mark": 0, "space": 0, "punct": 1, "western": 2, "han": 6}
BAD_BREAK = _BREAK_COST["han"]


def _break_kind(cls: str, i: int) -> str | None:
    a, b = cls[i - 1], cls[i]
    if a == "I" or b == "I":
        return "space"
    if a in "PSDC" or b == "O":
        return "punct"
    if (a in WESTERN) != (b in WESTERN):
        return "western"
    if a == "H" and b == "H":
        return "han"
    return None


def headline_lines(text: str, face: FaceMetrics, role: RoleStyle,
                   width: float) -> tuple[list[Line], bool]:
    """Break a headline into balanced lines at phrase boundaries (§4.3, R33).

    Returns the lines and whether a good break was found; a headline that only
    breaks inside a phrase is still set, but reported so the editor can rewrite it.
    """
    settings = _settings(role, justify=False)
    forced = [part for part in text.split("\n") if part]
    if len(forced) > 1:
        lines = [line for part in forced for line in headline_lines(part, face, role, width)[0]]
        return lines, True
    marks = [i - k for k, i in enumerate(j for j, ch in enumerate(text) if ch == "|")]
    text = text.replace("|", "")
    span = [Span(text, role.font, face)]
    m = measure(span, settings)
    size = role.size

    def piece_width(s: int, e: int) -> float:
        while s < e and m.cls[s] == "I":
            s += 1
        while e > s and m.cls[e - 1] == "I":
            e -= 1
        return (m.prefix[e] - m.prefix[s] - m.gap[s]) * size

    if piece_width(0, len(text)) <= width:
        return compose(span, [1e9], settings), True
    candidates = []
    for i in range(1, len(text)):
        kind = "mark" if i in marks else _break_kind(m.cls, i)
        if kind and m.brk[i] or kind in ("space", "mark"):
            candidates.append((i, _BREAK_COST[kind]))
    best: tuple[float, tuple[int, ...], int] | None = None
    for count in (2, 3):
        for breaks in _combinations(candidates, count - 1):
            cuts = [0, *(i for i, _ in breaks), len(text)]
            widths = [piece_width(a, b) for a, b in zip(cuts, cuts[1:])]
            chars = [sum(c != "I" for c in m.cls[a:b]) for a, b in zip(cuts, cuts[1:])]
            if max(widths) > width or min(chars) < 2:
                continue
            worst = max(cost for _, cost in breaks)
            # Balanced, the longer line first (§4.3), few and cheap breaks.
            shape = (max(widths) - min(widths)) / size
            order = sum(max(0.0, b - a) for a, b in zip(widths, widths[1:])) / size
            score = worst * 10 + shape + 2 * order + (count - 2) * 8
            if best is None or score < best[0]:
                best = (score, tuple(i for i, _ in breaks), worst)
        if best is not None:
            break
    if best is None:
        return compose(span, [width], settings), False
    cuts = [0, *best[1], len(text)]
    lines = []
    for a, b in zip(cuts, cuts[1:]):
        part = text[a:b].strip("\u3000")
        lines.extend(compose([Span(part, role.font, face)], [1e9], settings))
    return lines, best[2] < BAD_BREAK


def _combinations(candidates: list[tuple[int, int]], k: int):
    if k == 1:
        yield from ((c,) for c in candidates)
    elif k == 2:
        for a in range(len(candidates)):
            for b in range(a + 1, len(candidates)):
                yield candidates[a], candidates[b]


def stack_baselines(parts: Sequence[tuple[Sequence[Line], RoleStyle, str]],
                    gap: float) -> tuple[list[list[float]], float]:
    """The baseline of every line of a stack (per part), and the stack's height: what
    `stack` sets, without making its glyph runs (measuring a story needs only the height)."""
    y = 0.0
    baselines = []
    for index, (lines, role, _) in enumerate(parts):
        if index:
            y += gap
        part = []
        for _ in lines:
            y += role.leading if y else role.size * 0.88 + (role.leading - role.size) / 2
            part.append(y)
        baselines.append(part)
        y += role.size * 0.12 + (role.leading - role.size) / 2
    return baselines, y


def stack(parts: Sequence[tuple[Sequence[Line], RoleStyle, str]], width: float, align: str,
          article: str | None, gap: float) -> Block:
    """Stack lines of several roles top to bottom, each line aligned within `width`."""
    runs: list[GlyphRun] = []
    texts = []
    baselines, height = stack_baselines(parts, gap)
    for (lines, role, name), ys in zip(parts, baselines):
        for line, y in zip(lines, ys):
            x = _aligned_x(line.width, width, align)
            runs.extend(line_runs(line, x, y, role.size, role.color, name, article))
        texts.append("".join(p.text for line in lines for p in line.pieces))
    return Block(tuple(runs), height, "\n".join(texts))


def _aligned_x(line_width: float, width: float, align: str) -> float:
    if align == "center":
        return (width - line_width) / 2
    if align == "right":
        return width - line_width
    return 0.0


def paragraph_lines(text: str, face: FaceMetrics, role: RoleStyle, width: float,
                    align: str = "justify") -> tuple[Line, ...]:
    """The lines of a caption-like block (see `paragraph_block`)."""
    settings = _settings(role, justify=align == "justify")
    return tuple(compose([Span(text, role.font, face)], [width], settings))


def paragraph_block(text: str, face: FaceMetrics, role: RoleStyle, name: str, width: float,
                    article: str | None, *, align: str = "justify") -> Block:
    """A caption-like block: justified (or aligned) lines at the role's leading."""
    lines = paragraph_lines(text, face, role, width, align=align)
    return stack([(lines, role, name)], width, "left" if align == "justify" else align,
                 article, 0.0)


def display_text(text: str, normalize_marks: bool) -> str:
    """Headline, caption and credit text: phrase spaces become one em (R3)."""
    if not normalize_marks:
        return text.replace(" ", "\u3000")
    return normalize(text, display=True)[0]
