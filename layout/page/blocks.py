"""Small text blocks: headline lines, captions, labels, the running head.

They use the same line composer as body text, then are aligned and stacked.
Their height is rounded up to whole grid lines by the caller (G3).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from layout.compose.normalize import normalize
from layout.compose.paragraph import Line, Settings, Span, compose
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
              article: str | None) -> list[GlyphRun]:
    return [GlyphRun(p.font, size, x + p.x, baseline, p.text, x + p.left, x + p.right,
                     p.tracking, p.adjust, color, role, article) for p in line.pieces]


def natural_width(text: str, face: FaceMetrics, role: RoleStyle) -> float:
    lines = compose([Span(text, role.font, face)], [1e9], _settings(role, justify=False))
    return max((line.width for line in lines), default=0.0)


def _settings(role: RoleStyle, *, justify: bool) -> Settings:
    return Settings(size=role.size, indent=0.0, justify=justify, trim_opening=False,
                    min_last_line=1)


def headline_lines(text: str, face: FaceMetrics, role: RoleStyle, width: float) -> list[Line]:
    """Break a headline at phrase spaces first, otherwise into balanced lines (§4.3)."""
    text = text.replace("\n", "\u3000")
    settings = _settings(role, justify=False)
    span = [Span(text, role.font, face)]
    one = compose(span, [1e9], settings)
    natural = one[0].width if one else 0.0
    if natural <= width:
        return one
    phrases = [p for p in text.split("\u3000") if p]
    if len(phrases) > 1 and all(natural_width(p, face, role) <= width for p in phrases):
        return [compose([Span(p, role.font, face)], [1e9], settings)[0] for p in phrases]
    count = math.ceil(natural / width)
    while count < len(text):
        balanced = compose(span, [min(width, natural / count + role.size * 1.01)], settings)
        if len(balanced) <= count:
            return balanced
        count += 1
    return compose(span, [width], settings)


def stack(parts: Sequence[tuple[list[Line], RoleStyle, str]], width: float, align: str,
          article: str | None, gap: float) -> Block:
    """Stack lines of several roles top to bottom, each line aligned within `width`."""
    runs: list[GlyphRun] = []
    y = 0.0
    texts = []
    for index, (lines, role, name) in enumerate(parts):
        if index:
            y += gap
        for line in lines:
            y += role.leading if y else role.size * 0.88 + (role.leading - role.size) / 2
            x = _aligned_x(line.width, width, align)
            runs.extend(line_runs(line, x, y, role.size, role.color, name, article))
        texts.append("".join(p.text for line in lines for p in line.pieces))
        y += role.size * 0.12 + (role.leading - role.size) / 2
    return Block(tuple(runs), y, "\n".join(texts))


def _aligned_x(line_width: float, width: float, align: str) -> float:
    if align == "center":
        return (width - line_width) / 2
    if align == "right":
        return width - line_width
    return 0.0


def paragraph_block(text: str, face: FaceMetrics, role: RoleStyle, name: str, width: float,
                    article: str | None, *, align: str = "justify") -> Block:
    """A caption-like block: justified (or aligned) lines at the role's leading."""
    settings = _settings(role, justify=align == "justify")
    lines = compose([Span(text, role.font, face)], [width], settings)
    return stack([(lines, role, name)], width, "left" if align == "justify" else align,
                 article, 0.0)


def display_text(text: str, normalize_marks: bool) -> str:
    """Headline, caption and credit text: phrase spaces become one em (R3)."""
    if not normalize_marks:
        return text.replace(" ", "\u3000")
    return normalize(text, display=True)[0]
