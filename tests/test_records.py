"""layout.records.record behaves as @dataclass(frozen=True, slots=True) does."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from layout.display import PageLayout, PrintSetup, Rect, Rule
from layout.model.style import Grid, RoleStyle
from layout.records import Record, record


@dataclasses.dataclass(frozen=True, slots=True)
class Plain:
    a: int
    b: str = "x"
    c: tuple[int, ...] = ()
    d: dict[str, int] = dataclasses.field(default_factory=dict)


@record
class Fast(Record):
    a: int
    b: str = "x"
    c: tuple[int, ...] = ()
    d: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class PlainOne:
    a: float


@record
class FastOne(Record):
    a: float


def _pair(*args, **kwargs):
    return Plain(*args, **kwargs), Fast(*args, **kwargs)


def test_repr_equality_and_hash_match_dataclass() -> None:
    for args, kwargs in (((1,), {}), ((2, "中文", (1, 2)), {}), ((3,), {"c": (4,)})):
        plain, fast = _pair(*args, **kwargs)
        assert repr(fast) == repr(plain).replace("Plain(", "Fast(")
        assert fast == Fast(*args, **kwargs)
        assert not fast != Fast(*args, **kwargs)  # noqa: SIM202 (__ne__ from __eq__)
        with pytest.raises(TypeError, match="unhashable"):
            hash(fast)                     # a dict field: as the dataclass, unhashable
    assert Fast(1) != Fast(2) and Fast(1, "y") != Fast(1)
    assert Fast(1).__eq__(Plain(1)) is NotImplemented and Fast(1) != (1, "x", (), {})
    assert hash(FastOne(2.5)) == hash(PlainOne(2.5)) == hash((2.5,))
    assert repr(FastOne(2.5)) == "FastOne(a=2.5)"
    rule = Rule(0, 1, 2, 3, 0.5)
    assert hash(rule) == hash((0, 1, 2, 3, 0.5, (0.0, 0.0, 0.0, 1.0)))
    assert {rule, Rule(0, 1, 2, 3, 0.5)} == {rule}
    assert repr(rule) == "Rule(x0=0, y0=1, x1=2, y1=3, width=0.5, color=(0.0, 0.0, 0.0, 1.0))"


def test_frozen_slots_replace_fields_pickle() -> None:
    fast = Fast(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.a = 2                         # type: ignore[misc]
    errors = []
    for obj in (fast, Plain(1)):           # a new attribute: refused the same way
        with pytest.raises((AttributeError, TypeError)) as raised:
            obj.other = 2                  # type: ignore[union-attr]
        errors.append(raised.type)
    assert errors[0] is errors[1]
    assert not hasattr(fast, "__dict__")
    assert dataclasses.replace(fast, b="y") == Fast(1, "y")
    assert [f.name for f in dataclasses.fields(Fast)] == ["a", "b", "c", "d"]
    assert dataclasses.asdict(fast) == dataclasses.asdict(Plain(1))
    assert Fast.__match_args__ == Plain.__match_args__
    assert pickle.loads(pickle.dumps(fast)) == fast
    grid = Grid(10, 20, 8, 12, 1.5, 99, 9.5, 13.0)
    assert pickle.loads(pickle.dumps(grid)) == grid and grid.width > 0
    page = PageLayout(1, "要闻", 100, 200, (0, 0, 1, 1), {}, (Rect(0, 0, 1, 1),))
    assert page.press == PrintSetup() and page.quality == {}
    assert dataclasses.replace(page, number=2) != page
    assert RoleStyle("body", 9.5, 13) == RoleStyle("body", 9.5, 13.0)


def test_record_needs_the_base() -> None:
    with pytest.raises(TypeError, match="Record"):
        @record
        class Bare:
            a: int


def test_record_refuses_fields_left_out_of_comparison_or_repr() -> None:
    # The shared methods take every field, so a field asking to be left out is refused
    # rather than silently compared (a generated __eq__ would have skipped it).
    with pytest.raises(TypeError, match="repr, eq and hash"):
        @record
        class Skipping(Record):
            a: int
            b: int = dataclasses.field(default=0, compare=False)

    with pytest.raises(TypeError, match="needs fields"):
        @record
        class Empty(Record):
            pass
