"""The content-stream walker: a small graphics-state machine over each page."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from layout.preflight.colour import (
    _BLACK,
    _CMYK,
    _GRAY,
    _INITIAL,
    _RGB,
    _UNKNOWN,
    _Colour,
    _colour,
    _lookup,
    _resolve_space,
    _Space,
)
from layout.preflight.model import _IDENTITY, _MAX_FORM_DEPTH, PT_PER_INCH, PT_PER_MM, ImageInfo
from layout.preflight.objects import _font_key, _image_facts, _ImageFacts, _matrix, _mul, _objnum


class _GState:
    __slots__ = ("ctm", "fill", "render_mode", "stroke")

    def __init__(self) -> None:
        self.ctm: tuple = _IDENTITY
        self.fill: _Colour = _BLACK
        self.stroke: _Colour = _BLACK
        self.render_mode = 0

    def copy(self) -> _GState:
        other = _GState()
        other.ctm, other.fill = self.ctm, self.fill
        other.stroke, other.render_mode = self.stroke, self.render_mode
        return other


_TEXT_SHOW = frozenset(("Tj", "TJ", "'", '"'))
# The operators the walk reacts to; everything else is skipped by qpdf.
_OPERATORS = (
    "q Q cm g G rg RG k K cs CS sc scn SC SCN Tr Tf Tj TJ ' \" "
    "S s f F f* B B* b b* Do BI ID EI gs sh"
)
_FILL_PAINT = frozenset(("f", "F", "f*", "B", "B*", "b", "b*"))
_STROKE_PAINT = frozenset(("S", "s", "B", "B*", "b", "b*"))
_FILLS_TEXT = frozenset((0, 2, 4, 6))  # Tr modes that fill glyphs
_STROKES_TEXT = frozenset((1, 2, 5, 6))  # Tr modes that stroke glyphs


@dataclass
class _PageScan:
    """Mutable accumulator for one page's content walk."""

    text_colours: Counter = field(default_factory=Counter)
    rich_black_text: int = 0
    rich_black_example: tuple[float, ...] = ()
    vector_colours: Counter = field(default_factory=Counter)
    spaces: dict[str, _Space] = field(default_factory=dict)  # name → space
    vector_spaces: dict[str, _Space] = field(default_factory=dict)
    images: list[ImageInfo] = field(default_factory=list)
    image_checks: list[tuple[_Space, str | None]] = field(default_factory=list)
    used_fonts: set = field(default_factory=set)
    transparency: list[str] = field(default_factory=list)
    content_errors: list[str] = field(default_factory=list)


class _Walker:
    """Interprets content streams, descending into Form XObjects."""

    def __init__(self, scan: _PageScan, image_cache: dict) -> None:
        self.scan = scan
        self.image_cache = image_cache
        self.font_cache: dict[tuple[int, str], Any] = {}

    def walk(
        self,
        content: Any,
        resources: Any,
        state: _GState,
        depth: int = 0,
        ancestors: frozenset = frozenset(),
    ) -> None:
        """Interpret one content stream starting from `state` (not modified)."""
        try:
            # Filtering in qpdf drops the many operators that cannot change a
            # verdict (positioning, paths, marked content): ~2× faster.
            instructions = pikepdf.parse_content_stream(content, _OPERATORS)
        except pikepdf.PdfError as exc:
            self.scan.content_errors.append(str(exc))
            return
        state = state.copy()
        stack: list[_GState] = []
        for instruction in instructions:
            op = str(instruction.operator)
            # Text-showing operators dominate a newspaper page: fast path
            # first, without building the operand list.
            if op in _TEXT_SHOW:
                self._count_text(state)
                continue
            operands = instruction.operands
            if op == "q":
                stack.append(state.copy())
            elif op == "Q":
                if stack:
                    state = stack.pop()
            elif op == "cm" and len(operands) == 6:
                state.ctm = _mul(_matrix(operands), state.ctm)
            elif op in _COLOUR_OPS:
                _COLOUR_OPS[op](state, operands, resources)
            elif op == "Tr" and operands:
                state.render_mode = int(operands[0])
            elif op == "Tf" and operands:
                self._use_font(str(operands[0]), resources)
            elif op in _FILL_PAINT or op in _STROKE_PAINT:
                self._count_paint(op, state)
            elif op == "Do" and operands:
                self._do(str(operands[0]), resources, state, depth, ancestors)
            elif op == "INLINE IMAGE":
                inline = operands[0]
                facts = _image_facts(lambda i=inline: i, inline.obj, resources)
                self._place_image("inline", None, facts, state)
            elif op == "gs" and operands:
                self._gstate(_lookup(resources, "/ExtGState", str(operands[0])))
            elif op == "sh" and operands:
                shading = _lookup(resources, "/Shading", str(operands[0]))
                if shading is not None:
                    self._record_vector(_resolve_space(shading.get("/ColorSpace"), resources))

    def _use_font(self, name: str, resources: Any) -> None:
        # Producers repeat Tf for every line or glyph: resolve each name once.
        cache_key = (id(resources), name)
        if cache_key not in self.font_cache:
            font = _lookup(resources, "/Font", name)
            self.font_cache[cache_key] = None if font is None else _font_key(font)
        key = self.font_cache[cache_key]
        if key is not None:
            self.scan.used_fonts.add(key)

    def _count_text(self, state: _GState) -> None:
        mode = state.render_mode
        scan = self.scan
        if mode in _FILLS_TEXT:
            self._record_text(state.fill)
        if mode in _STROKES_TEXT:
            self._record_text(state.stroke)
        if mode in (3, 7):  # invisible (e.g. OCR layer): paints nothing
            scan.text_colours["invisible"] += 1

    def _record_text(self, colour: _Colour) -> None:
        scan = self.scan
        name = colour.space.name
        scan.text_colours[name] += 1
        if name not in scan.spaces:
            scan.spaces[name] = colour.space
        if colour.rich_black:
            scan.rich_black_text += 1
            scan.rich_black_example = scan.rich_black_example or colour.values

    def _count_paint(self, op: str, state: _GState) -> None:
        if op in _FILL_PAINT:
            self._record_vector(state.fill.space)
        if op in _STROKE_PAINT:
            self._record_vector(state.stroke.space)

    def _record_vector(self, space: _Space) -> None:
        self.scan.vector_colours[space.name] += 1
        self.scan.vector_spaces[space.name] = space

    def _gstate(self, gstate: Any) -> None:
        if not isinstance(gstate, pikepdf.Dictionary):
            return
        reasons = self.scan.transparency
        smask = gstate.get("/SMask")
        if smask is not None and not (isinstance(smask, pikepdf.Name) and str(smask) == "/None"):
            reasons.append("ExtGState soft mask (/SMask)")
        for key in ("/CA", "/ca"):
            if key in gstate and float(gstate[key]) < 1.0:
                reasons.append(f"ExtGState opacity {key[1:]} {float(gstate[key]):g}")
        blend = gstate.get("/BM")
        if isinstance(blend, pikepdf.Array):  # first supported mode applies
            blend = blend[0] if len(blend) else None
        if blend is not None and str(blend) not in ("/Normal", "/Compatible"):
            reasons.append(f"blend mode {str(blend).lstrip('/')}")

    def _do(
        self, name: str, resources: Any, state: _GState, depth: int, ancestors: frozenset
    ) -> None:
        xobject = _lookup(resources, "/XObject", name)
        if not isinstance(xobject, pikepdf.Stream):
            return
        subtype = str(xobject.get("/Subtype"))
        if subtype == "/Image":
            # An image placed many times (logos, page furniture) is decoded once.
            key = xobject.objgen if xobject.is_indirect else None
            facts = self.image_cache.get(key) if key else None
            if facts is None:
                facts = _image_facts(lambda: pikepdf.PdfImage(xobject), xobject, resources)
                if key:
                    self.image_cache[key] = facts
            self._place_image(name.lstrip("/"), _objnum(xobject), facts, state)
        elif subtype == "/Form":
            self._form(name, xobject, resources, state, depth, ancestors)

    def _form(
        self,
        name: str,
        form: pikepdf.Stream,
        resources: Any,
        state: _GState,
        depth: int,
        ancestors: frozenset,
    ) -> None:
        key = form.objgen if form.is_indirect else id(form)
        if key in ancestors or depth >= _MAX_FORM_DEPTH:
            self.scan.content_errors.append(f"form {name} nests too deep or recursively")
            return
        group = form.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and str(group.get("/S")) == "/Transparency":
            self.scan.transparency.append(f"transparency group on form {name.lstrip('/')}")
        # A form without its own /Resources inherits the caller's (PDF 1.1 habit).
        form_resources = form.get("/Resources", resources)
        # The form starts from the graphics state at Do (colour included).
        inner = state.copy()
        inner.ctm = _mul(_matrix(form.get("/Matrix")), state.ctm)
        self.walk(form, form_resources, inner, depth + 1, ancestors | {key})

    def _place_image(self, name: str, obj: int | None, facts: _ImageFacts, state: _GState) -> None:
        """Record one placement of an image: the CTM maps the unit square to it."""
        a, b, c, d, _, _ = state.ctm
        placed_w, placed_h = math.hypot(a, b), math.hypot(c, d)
        ppi = None
        if placed_w > 0 and placed_h > 0 and facts.width and facts.height:
            ppi = min(
                facts.width / (placed_w / PT_PER_INCH), facts.height / (placed_h / PT_PER_INCH)
            )
        space_name = facts.space.name
        if facts.stencil:
            space_name = f"ImageMask({state.fill.space.name})"
        self.scan.images.append(
            ImageInfo(
                name=name,
                obj=obj,
                width_px=facts.width,
                height_px=facts.height,
                bits=facts.bits,
                colour_space=space_name,
                filter=facts.filter,
                placed_mm=(placed_w / PT_PER_MM, placed_h / PT_PER_MM),
                ppi=ppi,
                ink_max=facts.ink_max,
                ink_p995=facts.ink_p995,
                soft_mask=facts.soft_mask,
                stencil=facts.stencil,
            )
        )
        # The colour verdict of a stencil mask is that of its fill colour.
        judged = state.fill.space if facts.stencil else facts.space
        self.scan.image_checks.append((judged, facts.ink_error))


def _set_fill_space(state: _GState, operands: Any, resources: Any) -> None:
    space = _resolve_space(operands[0], resources) if operands else _UNKNOWN
    state.fill = _Colour(space, _INITIAL.get(space.family, (1.0,)))


def _set_stroke_space(state: _GState, operands: Any, resources: Any) -> None:
    space = _resolve_space(operands[0], resources) if operands else _UNKNOWN
    state.stroke = _Colour(space, _INITIAL.get(space.family, (1.0,)))


def _set_fill(space: _Space | None):
    def handler(state: _GState, operands: Any, resources: Any) -> None:
        state.fill = _colour(space or state.fill.space, operands)

    return handler


def _set_stroke(space: _Space | None):
    def handler(state: _GState, operands: Any, resources: Any) -> None:
        state.stroke = _colour(space or state.stroke.space, operands)

    return handler


_COLOUR_OPS = {
    "g": _set_fill(_GRAY),
    "G": _set_stroke(_GRAY),
    "rg": _set_fill(_RGB),
    "RG": _set_stroke(_RGB),
    "k": _set_fill(_CMYK),
    "K": _set_stroke(_CMYK),
    "cs": _set_fill_space,
    "CS": _set_stroke_space,
    # sc/scn keep the current space; for patterns the operand is a name.
    "sc": _set_fill(None),
    "scn": _set_fill(None),
    "SC": _set_stroke(None),
    "SCN": _set_stroke(None),
}


# ---------------------------------------------------------------- per page
