"""Vertical headline stacks (竖排标题, reference §4.5).

One character per em cell, top to bottom; columns of the stack run right to
left (引题 first, rightmost). Marks use the font's `vert` glyphs, carried on
the display list as glyph ids so the PDF text still extracts as the original
characters; a dash, which has no vertical form, is turned a quarter turn.
"""

from __future__ import annotations

import math

from layout.diagnostics import ERROR, Diagnostic, InputError
from layout.display import GlyphRun, Item
from layout.model.edition import Article
from layout.model.style import RoleStyle
from layout.page.blocks import display_text
from layout.page.context import EditionContext

_ROTATED = "—―–～…⋯"         # no `vert` form in some fonts: turn the horizontal glyph
_MARK_SHIFT = "，。、．"        # without a `vert` form: move to the upper right quadrant


def _parts(ctx: EditionContext, article: Article, width: float) -> list[tuple[str, RoleStyle,
                                                                              str]]:
    style = ctx.style
    names = [(n, t) for n, t in (("kicker", article.kicker), ("headline", article.headline),
                                  ("subhead", article.subhead)) if t]
    parts = []
    for name, text in names:
        role = style.roles[name]
        if name == "headline":
            size = style.headline_size(max(2, article.place.span if article.place else 2))
            role = RoleStyle(role.font, size, size * role.leading / role.size, role.color,
                             role.align, role.tracking)
        parts.append((display_text(text.replace("|", ""),
                                   style.composition.normalize_punctuation), role, name))
    # Shrink the headline until the stack fits the width it is given.
    total = sum(role.size * 1.35 for _, role, _ in parts)
    if total > width and parts:
        scale = width / total
        parts = [(t, RoleStyle(r.font, r.size * scale, r.leading * scale, r.color, r.align,
                               r.tracking), n) for t, r, n in parts]
    return parts


def vertical_stack(ctx: EditionContext, article: Article, x: float, top_line: int,
                   width: float, depth_lines: int) -> tuple[list[Item], int]:
    """Set the stack in the column(s) at x; returns the items and the grid lines it takes."""
    grid = ctx.grid
    parts = _parts(ctx, article, width)
    items: list[Item] = []
    top = grid.line_top(top_line) + grid.pitch * 0.5
    needed = 0.0
    column_right = x + width
    gap = width - sum(role.size for _, role, _ in parts)
    space = gap / (len(parts) + 1) if parts else 0.0
    cursor = column_right - space
    for text, role, name in parts:
        face = ctx.face(name)
        size = role.size
        cell_x = cursor - size
        y = top
        for ch in text:
            if ch == "\u3000":
                y += size * 0.5
                continue
            # A character the role's face lacks comes from its fallback chain (R49).
            key, glyph_face = face.face_for(ch)
            font = key or role.font
            glyph_face = glyph_face or face
            adv = glyph_face.advance(ch) * size
            gid = glyph_face.vert.get(ch, 0)
            glyph_x = cell_x + (size - adv) / 2
            baseline = y + 0.88 * size
            rotate = 0.0
            if not gid and ch in _ROTATED:
                # Turned a quarter clockwise about the cell: the pen starts at the cell's
                # top, centred, and the glyph's baseline runs downwards.
                rotate = -90.0
                glyph_x = cell_x + size / 2 - (0.88 - 0.5) * size
                baseline = y + (size - adv) / 2
            elif not gid and ch in _MARK_SHIFT:
                glyph_x += size * 0.55
                baseline -= size * 0.55
            items.append(GlyphRun(font, size, glyph_x, baseline, ch, cell_x, cell_x + size,
                                  color=role.color, role=name, article=article.id,
                                  glyphs=(gid,) if gid else (), rotate=rotate))
            y += size
        ctx.check_glyphs(text, name, article)
        needed = max(needed, y - top)
        cursor = cell_x - space
    lines = math.ceil((needed + grid.pitch) / grid.pitch - 1e-6)
    if lines > depth_lines:
        place = article.place
        raise InputError([Diagnostic(
            ERROR, "placement", f"the vertical headline of article {article.id!r} needs "
            f"{lines} lines but its column holds {depth_lines}", str(ctx.edition.file),
            place.line if place else article.line, f"articles[{article.id}].vertical",
            "shorten the headline or deepen the box", article.id)])
    return items, lines
