"""The built-in RGB → CMYK table is computed from per-level curves (layout/imaging.py,
`_newsprint_table`) instead of calling the separation at each of the 35,937 grid points:
it must be the very same table, float for float, as PIL's Color3DLUT.generate makes."""

from __future__ import annotations

import pytest
from PIL import ImageFilter

from layout import imaging


@pytest.mark.parametrize("limit", [2.4, 2.6, 3.0, 1.2])
def test_table_equals_sampling_the_separation(limit: float) -> None:
    n = imaging._LUT_SIZE
    sampled = ImageFilter.Color3DLUT.generate(
        n, lambda r, g, b: imaging._limited(imaging._newsprint_cmyk(r, g, b), limit),
        channels=4, target_mode="CMYK")
    assert imaging._newsprint_table(n, limit) == list(sampled.table)
