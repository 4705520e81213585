"""Indexes where most keys hold one value: the value kept as itself, a list only from the second.

A site has hundreds of thousands of phone tails and reports; a list per key would cost more
than the values it holds. The values must not themselves be lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias, TypeVar

K = TypeVar("K")
V = TypeVar("V")

Few: TypeAlias = V | list[V]  # one value, or the list of several, in the order added


def add(index: dict[K, Few[V]], key: K, value: V) -> None:
    known = index.get(key)
    if known is None:
        index[key] = value
    elif isinstance(known, list):
        known.append(value)
    else:
        index[key] = [known, value]


def each(known: Few[V] | None) -> Sequence[V]:
    """The values of one key (none for None), in the order added."""
    if known is None:
        return ()
    return known if isinstance(known, list) else (known,)
