"""What the attribution engine reads of the reception rotation (轮序): the interface issue 18
defines and the rotation issue supplies.

Some split rules turn on who stood in for an absent consultant and whether the rotation chose
him: S4.9's least-count rule (最少制: whoever received the fewest), S7.4 and S16.6's "the last in
rotation". The engine asks a ``RotationView`` for the queue's ``Standing`` at the moment of a
reception. Where the record holds the queue for that moment it answers, and the engine checks
the stand-in against it. Where it does not (every record written before the rotation existed),
it answers None, and the engine decides exactly as before.

``Standing.counts`` are the receptions counted since the site-local start of the day unless
the supplier's policy counts otherwise (S4.9); the supplier, not the engine, keeps that count.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

StandIn = Literal["any", "last_in_rotation", "fewest"]


@dataclass(frozen=True, slots=True)
class Standing:
    """The reception queue at one moment: who is in it, next to receive first, and how many
    receptions each has been counted today."""

    at: datetime
    order: tuple[str, ...]
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def last(self) -> str | None:
        """The last in rotation (轮序最后一位, S7.4, S16.6)."""
        return self.order[-1] if self.order else None

    def fewest(self, excluding: Iterable[str] = ()) -> tuple[str, ...]:
        """Those in the queue with the fewest receptions counted (最少制, S4.9), in queue order."""
        out = set(excluding)
        queue = [c for c in self.order if c not in out]
        if not queue:
            return ()
        least = min(self.counts.get(c, 0) for c in queue)
        return tuple(c for c in queue if self.counts.get(c, 0) == least)

    def stand_ins(self, how: StandIn, excluding: Iterable[str] = ()) -> tuple[str, ...]:
        """Who the policy's choice (``how``) makes the stand-in now; () when nobody is eligible."""
        out = set(excluding)
        if how == "fewest":
            return self.fewest(out)
        if how == "last_in_rotation":
            queue = [c for c in self.order if c not in out]
            return (queue[-1],) if queue else ()
        return tuple(c for c in self.order if c not in out)


class RotationView(Protocol):
    def standing(self, at: datetime) -> Standing | None:
        """The queue at ``at`` where the record holds it; None where it does not."""
        ...


class NoRotation:
    """A record without queue facts: the engine decides as it always did."""

    def standing(self, at: datetime) -> Standing | None:
        return None


class Snapshots:
    """A rotation given as the queue's successive states, each from its ``at`` until the next
    on the same site-local day (the queue resets at the start of the day): the form a replay of
    queue facts hands the engine."""

    def __init__(self, standings: Sequence[Standing], tz: ZoneInfo) -> None:
        self._standings = sorted(standings, key=lambda s: s.at)
        self._times = [s.at for s in self._standings]
        self._tz = tz

    def standing(self, at: datetime) -> Standing | None:
        i = bisect.bisect_right(self._times, at)
        if not i:
            return None
        found = self._standings[i - 1]
        same_day = found.at.astimezone(self._tz).date() == at.astimezone(self._tz).date()
        return found if same_day else None
