"""Reads of the reception rotation: the queue as the screens and the wall board show it, and
the fairness figures. Everything comes from the live engine's replay of the record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import get_language

from guishu.core.attribution import Attributor
from guishu.core.events import Reception, Registration
from guishu.core.rotation import STATUS_WORDS, Line, QueueView, Tally
from guishu.record import engines
from guishu.record.models import Project


@dataclass(frozen=True)
class BoardLine:
    staff: str
    name: str
    status: str
    status_words: str
    position: int
    credits: int
    counted: int
    since: datetime
    up: bool
    on_deck: bool


@dataclass(frozen=True)
class Board:
    """The queue at one moment, by name, with who is up and on deck; ``version`` changes with it."""

    at: datetime
    lines: tuple[BoardLine, ...]
    up: str
    on_deck: str
    version: str

    def of(self, staff: str) -> BoardLine | None:
        return next((x for x in self.lines if x.staff == staff), None)

    @property
    def ready(self) -> tuple[BoardLine, ...]:
        return tuple(x for x in self.lines if x.status == "ready")

    @property
    def busy(self) -> tuple[BoardLine, ...]:
        return tuple(x for x in self.lines if x.status != "ready")


def _words(status: str) -> str:
    zh, en = STATUS_WORDS.get(status, (status, status))
    return en if get_language() == "en" else zh


def board(project: Project, at: datetime | None = None) -> Board:
    now = at or timezone.now()
    live = engines.live_engine(project)
    with live.lock:
        view: QueueView = live.engine.queue.view(now)
        name = live.engine.staff.name
        up, deck = view.up, view.on_deck

        def line(x: Line) -> BoardLine:
            return BoardLine(
                x.staff,
                name(x.staff),
                x.status,
                _words(x.status),
                x.position,
                x.credits,
                x.counted,
                x.since,
                x.staff == up,
                x.staff == deck,
            )

        lines = tuple(line(x) for x in view.lines)
        seq = live.seq
    return Board(
        now,
        lines,
        name(up) if up else "",
        name(deck) if deck else "",
        # the entry, the minute (the board's clock) and every line: a screen showing this version
        # has nothing to swap
        f"{seq}-{now.strftime('%H%M')}-{'|'.join(f'{x.staff}:{x.status}:{x.credits}' for x in lines)}",
    )


def name_of(project: Project, staff: str) -> str:
    """A person's name as the record has it (张三, never his login)."""
    live = engines.current(project)
    with live.lock:
        return live.engine.staff.name(staff)


def reception(project: Project, fact_id: str) -> Reception | None:
    """One reception of the site's record by its id (``rcp-<press key>``), or None."""
    live = engines.live_engine(project)
    with live.lock:
        return live.engine.queue.receptions.get(fact_id)


@dataclass(frozen=True)
class FairRow:
    staff: str
    name: str
    tally: Tally
    converted: int  # new customers received whose group has a deal (any consultant's)

    @property
    def conversion(self) -> float | None:
        return self.converted / self.tally.new if self.tally.new else None


@dataclass(frozen=True)
class Fairness:
    first: date
    last: date
    rows: tuple[FairRow, ...]
    daily: tuple[tuple[date, float], ...]  # the largest |deviation| of each day
    month: float  # the largest |deviation| over the period's summed tallies

    @property
    def worst_day(self) -> float:
        return max((d for _, d in self.daily), default=0.0)


def fairness(project: Project, first: date, last: date) -> Fairness:
    """Per consultant over [first, last] (site-local days): turns offered, taken, kept, lost,
    make-ups, helps, new customers and their conversion; expected share and deviation; and the
    site's figure, the largest |deviation| per day and over the period."""
    live = engines.live_engine(project)
    with live.lock:
        engine = live.engine
        days = {d: t for d, t in engine.queue.tallies.items() if first <= d <= last}
        total: dict[str, Tally] = defaultdict(Tally)
        daily: list[tuple[date, float]] = []
        for d in sorted(days):
            worst = 0.0
            for staff, t in days[d].items():
                s = total[staff]
                for key in ("offered", "taken", "kept", "lost", "make_ups", "helped", "new"):
                    setattr(s, key, getattr(s, key) + getattr(t, key))
                s.expected += t.expected
                worst = max(worst, abs(t.deviation))
            daily.append((d, worst))
        converted = _converted(engine, first, last)
        rows = tuple(
            FairRow(staff, engine.staff.name(staff), t, converted.get(staff, 0))
            for staff, t in sorted(total.items(), key=lambda e: engine.staff.name(e[0]))
        )
    month = max((abs(r.tally.deviation) for r in rows), default=0.0)
    return Fairness(first, last, rows, tuple(daily), month)


def _converted(engine: Attributor, first: date, last: date) -> dict[str, int]:
    """New customers received in the period whose registration (citing the reception) belongs
    to a group with a deal."""
    receptions = {
        r.id: r.consultant
        for r in engine.queue.receptions.values()
        if r.route == "new" and first <= engine.queue.day_of(r.at) <= last
    }
    out: dict[str, int] = {}
    if not receptions:
        return out
    for g in engine.groups.values():
        cited = {f.reception for f in g.facts if isinstance(f, Registration) and f.reception}
        has_deal = any(f.kind == "deal" for f in g.facts)
        for rid in cited & receptions.keys():
            if has_deal:
                out[receptions[rid]] = out.get(receptions[rid], 0) + 1
    return out
