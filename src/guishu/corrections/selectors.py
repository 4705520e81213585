"""What corrections say: which facts of a customer's history are void, by whom and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from guishu.corrections.actions import CORRECTABLE
from guishu.record import engines
from guishu.record.models import Entry, Project
from guishu.sites.templatetags import words


@dataclass(frozen=True)
class Voiding:
    """A fact's correction in words: when, by whom (by name), why, and the correction's seq."""

    at: datetime
    by: str
    reason: str
    seq: int


def voidings(project: Project, fact_ids: Iterable[str]) -> dict[str, Voiding]:
    """The corrections that void these facts (the engine's word: an unauthorised correction
    voids nothing), the first one of each."""
    ids = list(fact_ids)
    if not ids:
        return {}
    live = engines.live_engine(project)
    with live.lock:
        voided = {t for t in ids if t in live.engine.voided}
    if not voided:  # most histories: nothing void, and no need to look through the corrections
        return {}
    rows = Entry.objects.filter(project=project, kind="correction", payload__target__in=sorted(voided))
    found = [(e.payload, e) for e in rows.order_by("seq") if isinstance(e.payload, dict)]
    with live.lock:
        refused = {e.fact_id for _, e in found if e.fact_id in live.engine.invalid}
    people = words.people_of(project)
    out: dict[str, Voiding] = {}
    for payload, e in found:
        target = str(payload.get("target", ""))
        if target in voided and target not in out and e.fact_id not in refused:
            by = str(payload.get("by", ""))
            out[target] = Voiding(e.at, people.get(by, by), str(payload.get("reason", "")), e.seq)
    return out


def correctable(kind: str) -> bool:
    return kind in CORRECTABLE
