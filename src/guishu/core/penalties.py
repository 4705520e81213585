"""Penalties the record proves: stealing (S14.2), forfeits, and the fines gathered elsewhere.

Stealing is counted per consultant across all groups in time order: the first
offence is a warning and a fine, the ``stealing_dismissal_at``-th a dismissal
and the forfeit of his closed deals to the company.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from guishu.core.commission import COMPANY
from guishu.core.policy import Policy
from guishu.core.verdict import CollisionRecord, Penalty, Split


class PenaltyBook(dict[tuple[str, str], Penalty]):
    """The penalties facts carry, by (fact id, key). Each fact's keys are kept beside them, so
    a group's replay drops one fact's penalties without walking every penalty of the site."""

    def __init__(self) -> None:
        super().__init__()
        self._keys: dict[str, list[str]] = {}

    def __setitem__(self, key: tuple[str, str], value: Penalty) -> None:
        if key not in self:
            self._keys.setdefault(key[0], []).append(key[1])
        super().__setitem__(key, value)

    def drop_fact(self, fact_id: str) -> None:
        """Forget every penalty fact ``fact_id`` carried (it is about to be applied again)."""
        for key in self._keys.pop(fact_id, ()):
            self.pop((fact_id, key), None)


def _forfeit(split: Split, who: str) -> Split:
    shares: dict[str, Decimal] = {}
    for name, share in split.shares:
        key = COMPANY if name == who else name
        shares[key] = shares.get(key, Decimal(0)) + share
    return Split(
        split.deal,
        split.group,
        split.at,
        tuple(shares.items()),
        "S14.2",
        f"{who} 第二次抢单被辞退,已成交客户充公",
        f"{who} dismissed for stealing: deals forfeited",
        split.provisional_until,
        split.channel,
    )


def aggregate_penalties(
    base: list[Penalty],
    collisions: list[CollisionRecord],
    splits: list[Split],
    policy_at: Callable[[datetime], Policy],
) -> tuple[list[Penalty], list[Split]]:
    penalties = list(base)
    offences: dict[str, int] = {}
    for c in collisions:
        if not c.knowing:
            continue
        p = policy_at(c.at)
        fine = p.collision.stealing_fine
        if fine is None:
            continue
        n = offences[c.other] = offences.get(c.other, 0) + 1
        dismissal_at = p.collision.stealing_dismissal_at
        if dismissal_at is not None and n >= dismissal_at:
            penalties.append(
                Penalty(
                    c.other,
                    Decimal(0),
                    "S14.2",
                    f"第{n}次抢单: 辞退,已成交客户充公",
                    f"stealing #{n}: dismissal, closed deals forfeited",
                    (c.fact,),
                    c.at,
                    "dismissal",
                )
            )
            splits = [_forfeit(s, c.other) if s.share_of(c.other) > 0 else s for s in splits]
        else:
            penalties.append(
                Penalty(
                    c.other,
                    Decimal(0),
                    "S14.2",
                    f"第{n}次抢单: 警告",
                    f"stealing #{n}: warning",
                    (c.fact,),
                    c.at,
                    "warning",
                )
            )
            penalties.append(
                Penalty(c.other, fine, "S14.2", f"第{n}次抢单: 罚款", f"stealing #{n}: fine", (c.fact,), c.at)
            )
    penalties.sort(key=lambda x: (x.at, x.staff, x.rule))
    return penalties, splits
