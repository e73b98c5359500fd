"""Fuzzing `paiban build` with hostile editions, styles and photos (bounded for the suite;
tools/fuzz.py runs the same cases for longer). The promise: never a traceback, only exit
0, 1 or 2; never a half-written output folder; every exit-2 message names a file and a
line; every PDF of an exit 0 opens."""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path

from fuzz_inputs import cases, run_case
from hypothesis import HealthCheck, given, settings

# Seconds one case may take before it counts as a hang (a 200,000-character string is the
# slowest input on purpose; it sets in about a second).
CASE_LIMIT = 60


def _alarm(signum, frame):
    raise TimeoutError(f"one fuzz case took over {CASE_LIMIT} s")


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=cases())
def test_hostile_input_never_crashes_lies_or_half_writes(case):
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_LIMIT)
    try:
        with tempfile.TemporaryDirectory() as folder:
            outcome = run_case(case, Path(folder))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert not outcome.problems, (case.description, outcome.problems, outcome.output[-2000:])
