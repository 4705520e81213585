"""Visit confirmation: three sign-offs under three logins become one fact (S6.6, S6.7)."""

from __future__ import annotations

import pytest

from guishu.api import keys as api_keys
from guishu.record import engines
from guishu.record.models import Entry, Project
from guishu.visits.models import VisitForm
from tests.sites.builders import client_for, user
from tests.visits.builders import FORM, reported_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    project = reported_site()
    user("lisi", "consultant", "李四")
    api_keys.issue(project=project, agent="wangwu", channel="hx")
    return project


def test_three_signatures_make_one_confirmation_and_the_channel_owns(site: Project) -> None:
    """S6.7: agent, clerk and the developer's marketing manager sign, each under his own login."""
    # given: the clerk opens the form for the reported visitor
    assert client_for("sunba").post("/s/demo/visits/", FORM).status_code == 302
    form = VisitForm.objects.get()
    # when: the three parties sign
    for signer in ("wangwu", "sunba"):
        assert client_for(signer).post(f"/s/demo/visits/{form.pk}/sign/").status_code == 302
        assert not Entry.objects.filter(kind="visit_confirmation").exists()  # not complete yet
    client_for("qianjiu").post(f"/s/demo/visits/{form.pk}/sign/")
    # then: one fact with the three sign-offs; the customer is the channel's for 30 days
    entry = Entry.objects.get(project=site, kind="visit_confirmation")
    assert {s["role"]: s["staff"] for s in entry.payload["signoffs"]} == {
        "agent": "wangwu",
        "clerk": "sunba",
        "marketing_manager": "qianjiu",
    }
    group = engines.live_engine(site).engine.by_phone["+8613800000002"]
    assert group.channel is not None and group.channel.id == "hx"


@pytest.mark.parametrize(("signer", "status"), [("lisi", 403), ("zhaoliu", 403), ("chenshi", 404)])
def test_only_the_parties_may_sign(site: Project, signer: str, status: int) -> None:
    """S6.7: a consultant or the site manager cannot sign the form; to another channel's agent
    the form does not exist."""
    user("zhaoliu", "manager")
    client_for("sunba").post("/s/demo/visits/", FORM)
    form = VisitForm.objects.get()
    assert client_for(signer).post(f"/s/demo/visits/{form.pk}/sign/").status_code == status
    assert not form.signatures.exists()


def test_a_party_signs_once(site: Project) -> None:
    """S6.7: each party's signature counts once."""
    client_for("sunba").post("/s/demo/visits/", FORM)
    form = VisitForm.objects.get()
    c = client_for("sunba")
    assert c.post(f"/s/demo/visits/{form.pk}/sign/").status_code == 302
    assert c.post(f"/s/demo/visits/{form.pk}/sign/").status_code == 403


def test_an_incomplete_form_is_refused_with_the_field(site: Project) -> None:
    """S6.6: the confirmation needs the full phone: a bad one is refused and named."""
    response = client_for("sunba").post("/s/demo/visits/", {**FORM, "phone": "1380**00002"})
    assert response.status_code == 422
    assert "phone" in response.content.decode()
    assert not VisitForm.objects.exists()


def test_agents_see_only_their_own_forms(site: Project) -> None:
    """S6.5 isolation: another channel's agent does not see the form."""
    client_for("sunba").post("/s/demo/visits/", FORM)
    assert "李梅" in client_for("wangwu").get("/s/demo/visits/").content.decode()
    assert "李梅" not in client_for("chenshi").get("/s/demo/visits/").content.decode()


@pytest.mark.parametrize(("named", "verified", "owner"), [("hx", False, "hx"), ("", True, "hx"), ("", False, None)])
def test_a_reported_customer_who_came_alone(site: Project, named: str, verified: bool, owner: str | None) -> None:
    """S6.8: came alone: naming the channel, or checked contact records, keeps him the channel's."""
    data = {"came_alone": "1", "name": "李梅", "gender": "F", "phone": "13800000002", "named_channel": named}
    if verified:
        data["records_verified"] = "1"
    assert client_for("sunba").post("/s/demo/visits/", data).status_code == 302
    group = engines.live_engine(site).engine.by_phone["+8613800000002"]
    assert (group.channel.id if group.channel else None) == owner
