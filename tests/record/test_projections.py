"""The lookup projections follow the record through merges (S8.3, S18.11)."""

from __future__ import annotations

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import NameIndex, PhoneIndex
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_s8_3_two_customers_of_one_name_merged_keep_one_name_row() -> None:
    """S8.3: two brothers both written 王建国 on their registers (one wrote his brother's name),
    found related: one group, whose name is indexed once, and both phones find it (the merge must
    not collide on the name)."""
    engines.forget_all()
    site = make_project(policy="s8")
    append_fact(project=site, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=site, data=visit("lisi", "13800000002", "王建国"))
    append_fact(
        project=site,
        data={"kind": "relationship", "phone_a": "+8613800000001", "phone_b": "+8613800000002", "relation": "sibling"},
    )
    group = engines.live_engine(site).engine.by_phone["+8613800000002"].id
    assert list(NameIndex.objects.filter(project=site, name="王建国").values_list("group", flat=True)) == [group]
    assert set(PhoneIndex.objects.filter(project=site).values_list("group", flat=True)) == {group}
