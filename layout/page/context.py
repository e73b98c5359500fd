"""What every part of a page's composition shares: the edition, faces, and collectors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from layout.compose.paragraph import Settings
from layout.diagnostics import INFO, WARNING, Diagnostic
from layout.display import GlyphRun
from layout.model.edition import Article, Edition
from layout.model.style import Grid, RoleStyle, Style
from layout.typeface import FaceMetrics


def body_settings(style: Style, *, tracking: float = 0.0,
                  punctuation: str = "quanjiao") -> Settings:
    c = style.composition
    return Settings(size=style.roles["body"].size, indent=c.indent_chars, kinsoku=c.kinsoku,
                    latin_gap=c.latin_gap, max_stretch=c.max_stretch,
                    trim_opening=c.trim_opening_at_line_start, tracking=tracking,
                    punctuation=punctuation)


# The edition-file field each role's text comes from (the field a message names).
_FIELD = {"dateline": "byline", "runin": "body", "photo_title": "photos", "caption": "photos",
          "credit": "photos"}


@dataclass
class EditionContext:
    """Shared by all pages of one build: articles are planned once, drawn page by page."""

    edition: Edition
    faces: Mapping[str, FaceMetrics]
    draft: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # (article, role, character) already listed as printed from a fallback face or as
    # missing from every face: the report names each once per story and role, not once per
    # paragraph or per copyfitting attempt (which sets the captions again).
    fallback_listed: set[tuple[str | None, str, str]] = field(default_factory=set)
    # A story's `fallback` info by (article, role, face, fallback face): where it is in
    # `diagnostics` and its characters, so that the characters its later paragraphs add
    # join that one message instead of making another.
    fallback_said: dict[tuple, tuple[int, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def style(self) -> Style:
        return self.edition.style

    @property
    def grid(self) -> Grid:
        return self.edition.style.grid

    def face(self, role: str) -> FaceMetrics:
        return self.faces[self.style.roles[role].font]

    def warn(self, code: str, message: str, article: Article | None = None, *,
             severity: str = WARNING, field: str | None = None, hint: str | None = None,
             page: int | None = None, line: int | None = None) -> None:
        if page is None and article is not None and article.place is not None:
            page = article.place.page
        self.diagnostics.append(Diagnostic(
            severity, code, message, str(self.edition.file),
            line if line is not None else (article.line if article else None),
            field, hint, article.id if article else None, page))

    def check_glyphs(self, text: str, role: str, article: Article | None,
                     page: int | None = None, role_style: RoleStyle | None = None) -> None:
        """Report characters the role's font lacks (R49): those a face of its fallback
        chain prints (info, `fallback`), and those no face has (warning, `missing-glyph`).
        `role_style` is given for roles the engine makes itself (the draft marks), which no
        style file defines."""
        face = self.faces[role_style.font] if role_style else self.face(role)
        advances = face.advances
        lacking = sorted(ch for ch in set(text) if ch not in advances and ch != "\n")
        if not lacking:
            return
        fell_back: dict[str, list[str]] = {}
        for ch in lacking:
            key = (article.id if article else None, role, ch)
            if key in self.fallback_listed:
                continue
            _, other = face.face_for(ch)
            if other is not None or article is not None:    # furniture: once per page
                self.fallback_listed.add(key)
            if other is not None:
                fell_back.setdefault(other.name, []).append(ch)
                continue
            chain = "".join(f", {f.name}" for _, f in face.fallback)
            self.warn("missing-glyph", f"character {ch!r} U+{ord(ch):04X} is not in font "
                      f"{face.name}{chain} (role {role}); it prints as an empty box", article,
                      field=f"articles[{article.id}].{_FIELD.get(role, role)}" if article
                      else None, hint="choose a font that has it, add one to fonts.fallback, "
                      "or replace the character", page=page)
        for name, chars in fell_back.items():
            key = (article.id if article else page, role, face.name, name)
            at, before = self.fallback_said.get(key, (-1, ()))
            both = tuple(sorted(set(before) | set(chars)))
            listed = " ".join(f"{ch} U+{ord(ch):04X}" for ch in both)
            self.warn("fallback", f"{len(both)} {'character' if len(both) == 1 else 'characters'}"
                      f" not in font {face.name} (role {role}) printed from {name}: {listed}",
                      article, severity=INFO, page=page,
                      field=f"articles[{article.id}].{_FIELD.get(role, role)}" if article
                      else None)
            if 0 <= at < len(self.diagnostics) and self.diagnostics[at].code == "fallback":
                self.diagnostics[at] = self.diagnostics.pop()
            else:
                at = len(self.diagnostics) - 1
            self.fallback_said[key] = (at, both)


def moved(run: GlyphRun, dx: float, dy: float, color=None) -> GlyphRun:
    return run._replace(x=run.x + dx, y=run.y + dy, left=run.left + dx, right=run.right + dx,
                        color=color if color is not None else run.color)

