"""Writes of the reception rotation: queue changes and "next customer", each one fact.

Every change is checked by the pure rotation (``guishu.core.rotation``) on the record as it
stands under the chain lock (``append_decided``), so two presses at once never read the same
queue: each reception is assigned once and each turn consumed once. "Next customer" carries the
desk's press key as the reception's id: a retry or a double click finds the reception already
made and returns it, never a second one.

A consultant signs in at the desk (the front desk confirms him) or on his phone with the code
the desk screen shows, which changes every ``CODE_SECONDS``: nobody holds a turn from outside
the floor.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from guishu.core.attribution import Attributor
from guishu.core.desk_routing import Answers, route
from guishu.core.events import QueueFact, Reception, SkipReason, fact_from_dict
from guishu.core.rotation import Assignment, QueueRefused
from guishu.record import engines
from guishu.record.actions import Appended, RecordInputError, append_decided
from guishu.rotation.models import BoardLink
from guishu.sites.access import NotPermitted, SiteAccess, require

CODE_SECONDS = 30  # the desk's sign-in code changes this often; the last two are accepted
KEY = re.compile(r"^[A-Za-z0-9_-]{8,48}$")


class ReceptionExists(RecordInputError):
    """The press key names a reception already made: the retry's answer is that reception."""

    def __init__(self, reception: Reception) -> None:
        super().__init__("key", "已分配 / already assigned")
        self.reception = reception


def _refused(exc: QueueRefused) -> RecordInputError:
    return RecordInputError(exc.field, exc.message)


def change(
    *,
    access: SiteAccess,
    action: str,
    staff: str | None,
    reason: SkipReason | None = None,
    note: str | None = None,
    position: int | None = None,
    confirmed: str | None = None,
    order: tuple[str, ...] = (),
) -> Appended:
    """One queue change, authorised by who asks: a consultant changes his own line (sign in by
    code, break, back, sign out); the front desk runs the queue (sign-ins at the desk, skips,
    back); a manager corrects it (moves, make-up turns, the roster)."""
    if action in ("move", "make_up", "roster"):
        require(access, "correct_queue")
    elif staff != access.staff or action == "skip" or (action == "sign_in" and confirmed != "code"):
        # a sign-in at the desk is the desk's to confirm: one's own needs the desk's code
        require(access, "run_queue")
    else:
        require(access, "own_turn")
    given = {"reason": reason, "note": note, "position": position, "staff": staff or (order and "roster")}
    for key in _NEEDS.get(action, ()) + (("staff",) if action != "roster" else ()):
        if not given[key]:
            raise RecordInputError(key, "必填 / required")
    fields: dict[str, Any] = {"kind": "queue", "action": action}
    for key, value in (("staff", staff), ("reason", reason), ("note", note), ("position", position)):
        if value:
            fields[key] = value
    if confirmed:
        fields["confirmed"] = confirmed
    if order:
        fields["order"] = list(order)

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        try:
            fact = fact_from_dict({**fields, "id": "probe", "at": at.isoformat()})
        except ValueError as exc:
            raise RecordInputError(getattr(exc, "field", "action"), getattr(exc, "message", str(exc))) from None
        assert isinstance(fact, QueueFact)
        try:
            engine.queue.check(fact)
        except QueueRefused as exc:
            raise _refused(exc) from None
        return fields

    return append_decided(project=access.project, decide=decide, actor=access.user)


_NEEDS: dict[str, tuple[str, ...]] = {"skip": ("reason",), "move": ("position", "note"), "make_up": ("note",)}


def sign_in_by_code(*, access: SiteAccess, code: str) -> Appended:
    """A consultant signs himself in with the code the desk screen shows now."""
    require(access, "own_turn")
    if not code_is_current(access.project.code, code.strip(), timezone.now()):
        raise RecordInputError(
            "code", "签到码不对或已过期,请看前台屏幕上的签到码 / wrong or expired code: read the desk's screen"
        )
    return change(access=access, action="sign_in", staff=access.staff, confirmed="code")


def desk_code(site: str, at: datetime) -> str:
    """The six digits the desk screen shows for signing in at ``at``."""
    return _code(site, int(at.timestamp()) // CODE_SECONDS)


def code_is_current(site: str, code: str, at: datetime) -> bool:
    window = int(at.timestamp()) // CODE_SECONDS
    return any(hmac.compare_digest(code, _code(site, w)) for w in (window, window - 1))


def _code(site: str, window: int) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), f"sign-in:{site}:{window}".encode(), hashlib.sha256)
    return f"{int.from_bytes(mac.digest()[:4], 'big') % 1_000_000:06d}"


@dataclass(frozen=True)
class Received:
    """A walk-in's reception: the fact, the assignment's words, and whether this press made it."""

    reception: Reception
    zh: str
    en: str
    new: bool


def next_customer(*, access: SiteAccess, key: str, answers: Answers) -> Received:
    """ "Next customer": route by the guided questions, assign, record the reception (its id is
    the press key). A retry with the same key returns the same reception."""
    require(access, "run_queue")
    if not KEY.fullmatch(key):
        raise RecordInputError("key", "请刷新页面后再按 / reload the page and press again")
    if answers.refused:
        require(access, "decide")  # S8.9: a refusal goes to the next only after the manager's review
    fact_id = f"rcp-{key}"
    existing = _existing(access, fact_id)
    if existing is not None:
        return existing
    made: list[Assignment] = []

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        found = engine.queue.receptions.get(fact_id)
        if found is not None:
            raise ReceptionExists(found)
        routed = route(engine.policy_at(at), answers)
        try:
            assignment = engine.queue.assign(routed.walkin, at)
        except QueueRefused as exc:
            raise _refused(exc) from None
        made.append(assignment)
        return {**assignment.fact(), "id": fact_id}

    try:
        appended = append_decided(project=access.project, decide=decide, actor=access.user)
    except ReceptionExists as exc:
        return _words(access, exc.reception, new=False)
    assert isinstance(appended.fact, Reception)
    return Received(appended.fact, made[-1].zh, made[-1].en, new=True)


def _existing(access: SiteAccess, fact_id: str) -> Received | None:
    live = engines.live_engine(access.project)
    with live.lock:
        found = live.engine.queue.receptions.get(fact_id)
    return _words(access, found, new=False) if found is not None else None


def _words(access: SiteAccess, r: Reception, *, new: bool) -> Received:
    live = engines.current(access.project)
    name = live.engine.staff.name(r.consultant)
    return Received(r, f"[{r.rule}] 由 {name} 接待(此前已分配)", f"[{r.rule}] {name} receives (assigned before)", new)


def new_board_link(*, access: SiteAccess, label: str) -> str:
    """A wall board's link; the token is returned once and only its digest kept."""
    require(access, "board_links")
    token = secrets.token_urlsafe(24)
    BoardLink.objects.create(
        project=access.project, digest=hashlib.sha256(token.encode()).hexdigest(), label=label, made_by=access.user
    )
    return token


def revoke_board_link(*, access: SiteAccess, pk: int) -> None:
    require(access, "board_links")
    link = BoardLink.objects.filter(pk=pk, project=access.project, revoked_at__isnull=True).first()
    if link is None:
        raise NotPermitted("link", "没有这个链接 / no such link")
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])


def board_for(token: str) -> BoardLink | None:
    """The live link a board's token opens, or None (unknown or revoked)."""
    if not token or len(token) > 64:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return BoardLink.objects.filter(digest=digest, revoked_at__isnull=True).select_related("project").first()
