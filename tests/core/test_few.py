"""core: an index where most keys hold one value keeps it as itself, a list from the second."""

from __future__ import annotations

from guishu.core import few


def test_one_value_is_kept_as_itself_then_several_in_the_order_added() -> None:
    index: dict[str, few.Few[str]] = {}
    few.add(index, "45678", "+8613812345678")
    assert index["45678"] == "+8613812345678"
    assert few.each(index["45678"]) == ("+8613812345678",)
    few.add(index, "45678", "+8613912345678")
    few.add(index, "45678", "+8613712345678")
    assert few.each(index["45678"]) == ["+8613812345678", "+8613912345678", "+8613712345678"]
    assert few.each(index.get("00000")) == ()
