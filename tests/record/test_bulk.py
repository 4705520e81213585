"""Bulk import chains like appends and gives the same projections as a rebuild."""

from __future__ import annotations

import pytest

from guishu.record import engines
from guishu.record.actions import create_project
from guishu.record.bulk import bulk_import
from guishu.record.projections import rebuild
from guishu.record.verify import verify_chain
from tests.builders import PHONE_A, PHONE_B, PHONE_C, Record
from tests.record.builders import make_project
from tests.record.test_chain import projection_state

pytestmark = pytest.mark.django_db(transaction=True)


def test_bulk_import_chains_and_projects_like_a_rebuild() -> None:
    """S8.3, S8.12: an imported history verifies, and its projections equal a rebuild's."""
    # given: a history with a collision, a family and a deal
    engines.forget_all()
    project = create_project(code="bulk", name="导入案场", policy="s8")
    r = Record()
    r.visit("zhangsan", PHONE_A)
    r.later(days=1).visit("lisi", PHONE_A)
    r.later(hours=1).visit("zhouqi", PHONE_B, "王大海")
    r.later(hours=1).relate(PHONE_A, PHONE_B, "parent")
    r.later(hours=1).visit("lisi", PHONE_C, "李梅", gender="F")
    r.later(days=1).deal(PHONE_C, "lisi")
    # when
    count = bulk_import(project, r.facts)
    imported = projection_state(project.pk)
    # then
    assert count == len(r.facts)
    assert verify_chain(project).ok
    engines.forget_all()
    rebuild(project, engines.live_engine(project).engine)
    assert projection_state(project.pk) == imported
    owners = {row[2] for row in imported[0]}
    assert owners == {"zhangsan", "lisi"}  # the family is 张三's, 李梅 is 李四's


def test_bulk_import_refuses_facts_earlier_than_the_record() -> None:
    """S8.12: an import may continue the record but never slip something into its past."""
    engines.forget_all()
    project = make_project(code="late")  # its staff facts are stamped now
    r = Record(staff=False)  # March 2026: earlier than now
    r.visit("zhangsan", PHONE_A)
    with pytest.raises(ValueError, match="earlier"):
        bulk_import(project, r.facts)
    assert verify_chain(project).ok


def test_bulk_import_projects_the_memberships() -> None:
    """Sites: an imported history's staff facts make the site's memberships, leavers included."""
    from guishu.record.models import Membership

    engines.forget_all()
    project = create_project(code="bulk3", name="导入案场", policy="s8")
    r = Record()  # its staff: the named people of tests/builders.py
    r.later(days=1).leave("lisi")
    # when
    bulk_import(project, r.facts)
    # then
    active = set(Membership.objects.filter(project=project, left_at__isnull=True).values_list("staff", flat=True))
    assert "zhangsan" in active and "lisi" not in active
    assert Membership.objects.get(project=project, staff="lisi").left_at == r.facts[-1].at
