"""Frozen dataclasses that are cheaper to define: `record` for the model and display list.

`dataclasses.dataclass` compiles source text for every method of every class at import:
some 0.45 ms per frozen slotted class, a noticeable part of a one-page build's start-up.
`record` lets dataclasses generate only what depends on the field list's shape
(`__init__` and the frozen `__setattr__`/`__delattr__`) and gives `__repr__`, `__eq__` and
`__hash__` from one shared implementation that reads the fields with one
`operator.attrgetter`. They behave as the generated ones do: the same repr text, equality
only with an instance of the very same class (field tuples compared in order), the hash of
the field tuple. `dataclasses.fields`, `replace` and `asdict` work as before.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


class Record:
    """The shared methods; `record` gives each class its `_values` getter."""

    __slots__ = ()
    _values: Callable[[Any], tuple[Any, ...]]
    _names: tuple[str, ...]

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        values = self._values(self)
        return self.__class__.__qualname__ + "(" + ", ".join(
            f"{name}={value!r}" for name, value in zip(self._names, values)) + ")"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values(self) == self._values(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values(self))


def record(cls: type[T]) -> type[T]:
    """`@dataclass(frozen=True, slots=True)` with the shared repr, equality and hash.

    Every field takes part in all three (no `field(repr=False, compare=False)` here)."""
    if Record not in cls.__bases__:
        raise TypeError(f"{cls.__qualname__} must derive from Record")
    made = dataclasses.dataclass(frozen=True, slots=True, repr=False, eq=False)(cls)
    fields = dataclasses.fields(made)
    if not fields or not all(f.repr and f.compare and f.hash is None for f in fields):
        # The shared methods would silently compare or print what the class asked to leave out.
        raise TypeError(f"{cls.__qualname__}: a record needs fields, all in repr, eq and hash")
    names = tuple(f.name for f in fields)
    getter = attrgetter(*names)
    # attrgetter of one name returns the value itself; the generated methods use a tuple.
    made._values = staticmethod(getter if len(names) > 1 else (lambda obj: (getter(obj),)))
    made._names = names
    return made

