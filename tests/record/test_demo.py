"""The demo site the README's run command creates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from guishu.record import engines
from guishu.record.demo import ensure_demo_site
from guishu.record.models import Entry, GroupVerdict
from guishu.record.verify import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_site_is_built_once_with_its_people_and_weeks_of_facts() -> None:
    """S8.1, S8.10, S6.7: the demo has two teams, back office, two channels, a collision, a pending claim."""
    engines.forget_all()
    project, logins = ensure_demo_site()
    roles = {role for _staff, _name, role in logins}
    assert {"consultant", "clerk", "manager", "marketing_manager", "finance", "agent"} <= roles
    assert User.objects.get(username="zhangsan").check_password("guishu-demo")
    assert verify_chain(project).ok
    kinds = set(Entry.objects.filter(project=project).values_list("kind", flat=True))
    assert {
        "registration",
        "follow_up",
        "pending_confirmation",
        "claim",
        "complaint",
        "deal",
        "report",
        "visit_confirmation",
    } <= kinds
    assert engines.live_engine(project).engine.collisions  # the demo has a collision to look at
    assert GroupVerdict.objects.filter(project=project).count() >= 8
    # a second run changes nothing
    count = Entry.objects.count()
    ensure_demo_site()
    assert Entry.objects.count() == count
