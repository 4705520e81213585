"""Python's cyclic garbage collector, set for processes that hold attribution engines.

An engine is millions of small, long-lived objects with no reference cycles among them
(tests/core/test_attribution.py), so reference counting frees everything an engine drops. The
cyclic collector only costs it time: each collection of the older generations walks every
object again, and on a large replay that was a quarter of the time (bench/replay.py at 1M
facts: 60,800 facts/s with the collector running, 80,000/s without).

- ``tune``: a larger young generation for a serving process;
- ``paused``: no cyclic collections while a replay builds an engine;
- ``keep``: move what exists now out of the collector's generations (``gc.freeze``), so later
  collections never walk it. Frozen objects are still freed by reference counting, so an
  engine dropped later is freed; only a cycle created before the freeze would stay.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 100_000  # allocations between young collections (Python's default: 700)


def tune() -> None:
    gc.set_threshold(YOUNG, 50, 100)


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collections inside; the collector's state is restored after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep(*, collect: bool = False) -> None:
    """Freeze every object the collector tracks now; ``collect`` first clears any cyclic garbage
    (a serving process: other threads' garbage must not be frozen with the engine). Call it
    while ``paused``: otherwise a collection may walk the new objects first."""
    if collect:
        gc.collect()
    gc.freeze()


@contextmanager
def building() -> Iterator[None]:
    """Build an engine (a replay) without cyclic collections, then keep what was built.

    Garbage from before is collected first, so the freeze holds what was made inside. The
    freeze comes before the collector is back: the first collection after a long pause would
    otherwise walk everything the replay made (2.4 s after 1M facts).
    """
    with paused():
        gc.collect()
        yield
        gc.freeze()
