"""资格审核 (S2, S15.4) on a site: the manager switches the checklist on over the preset, the
back office checks each item of a buyer on the deals screen or the deal's card, a signing with
an item open is refused (naming the items) unless the manager writes why, and the commission
stays held until every required item passed."""

from __future__ import annotations

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.record.builders import make_project, visit
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+8613800000001"
ID = "110101199003074258"


def _site(checks: tuple[str, ...] = ("identity", "eligibility")) -> Project:
    """s16 with the checklist switched on by the manager (an empty ``checks``: left off)."""
    engines.forget_all()
    project = make_project(policy="s16")
    user("zhangsan", "consultant", "张三", project=project)
    user("lisi", "consultant", "李四", project=project)
    user("sunba", "clerk", "孙八", project=project)
    user("zhaoliu", "manager", "赵六", project=project)
    user("qianqi", "signing_room", "钱七", project=project)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    if checks:
        posted = {"policy": "s16@v1", "effective_at": "", "qualification": "on", "checks": list(checks)}
        assert client_for("zhaoliu").post(at_site("manage/policy/"), posted).status_code == 302
    return project


def _deal(**extra: str) -> dict[str, str]:
    return {
        "phone": "138 0000 0001",
        "type": "signing",
        "closer": "zhangsan",
        "buyer_name": "王建国",
        "unit": "3-1201",
        "amount": "1,500,000",
        "id_number": ID,
    } | extra


def _awaiting(site: Project, fact: str) -> str | None:
    return next(s.awaiting for s in engines.live_engine(site).engine.splits() if s.deal == fact)


def _count(site: Project, kind: str) -> int:
    return Entry.objects.filter(project=site, kind=kind).count()


def test_s2_the_manager_switches_the_checklist_on_over_the_preset() -> None:
    """S2, S15.4: the manager's policy change names the checklist; the record keeps it with the
    preset, the site's policy has it from then, and the manager's page lists it in words."""
    site = _site()
    change = Entry.objects.get(project=site, kind="policy_changed")
    assert change.payload["modules"] == {"qualification": True, "checks": ["identity", "eligibility"]}
    modules = engines.policy_now(site).modules
    assert modules.qualification and modules.checks == ("identity", "eligibility")
    page = client_for("zhaoliu").get(at_site("manage/")).content.decode()
    assert "资格审核: 身份证件核验、购房资格审核" in page


def test_s2_a_checklist_without_an_item_is_refused_naming_the_field() -> None:
    site = _site(checks=())
    posted = {"policy": "s16", "effective_at": "", "qualification": "on"}
    response = client_for("zhaoliu").post(at_site("manage/policy/"), posted)
    assert response.status_code == 422
    assert "审核项: 至少选择一项审核" in response.content.decode()
    bogus = client_for("zhaoliu").post(at_site("manage/policy/"), posted | {"checks": ["dna"]})
    assert bogus.status_code == 422 and "审核项: " in bogus.content.decode()
    assert _count(site, "policy_changed") == 0


def test_s2_1_a_signing_with_checks_open_is_refused_naming_them() -> None:
    """S2.1, S2.2: the signing room's signing while the buyer's identity and eligibility are
    open is refused, naming both items and their rules; nothing is written."""
    site = _site()
    response = client_for("qianqi").post(at_site("deals/new/"), _deal())
    assert response.status_code == 422
    text = response.content.decode()
    assert "资格审核未完成:身份证件核验(S2.1)、购房资格审核(S2.2)" in text
    assert _count(site, "deal") == 0
    # and a deposit, which is not a signing, is taken, its commission held
    assert client_for("qianqi").post(at_site("deals/new/"), _deal(type="deposit")).status_code == 302
    deposit = Entry.objects.get(project=site, kind="deal").fact_id
    assert _awaiting(site, deposit) == "qualification"


def test_s2_the_clerk_checks_each_item_then_the_signing_is_recorded_and_payable() -> None:
    """S2.1, S2.2: the clerk checks identity on the deals screen by the buyer's phone and
    eligibility on the deposit's card; the card shows each with who checked it; the signing is
    then taken and nothing of the purchase is held."""
    site = _site()
    clerk = client_for("sunba")
    by_phone = {"c-phone": "13800000001", "c-item": "identity", "c-result": "yes", "c-note": "原件复印件已核"}
    assert clerk.post(at_site("deals/check/"), by_phone).status_code == 302
    assert client_for("qianqi").post(at_site("deals/new/"), _deal(type="deposit")).status_code == 302
    deposit = Entry.objects.get(project=site, kind="deal").fact_id
    card = clerk.get(at_site(f"deals/{deposit}/")).content.decode()
    assert 'id="check-form"' in card and "待审核" in card.split('id="check-eligibility"')[1].split("</tr>")[0]
    posted = {"k-item": "eligibility", "k-result": "yes", "k-note": ""}
    assert clerk.post(at_site(f"deals/{deposit}/check/"), posted).status_code == 302
    checks = Entry.objects.filter(project=site, kind="qualification_check").order_by("seq")
    assert [(e.payload["item"], e.payload["passed"], e.payload["by"]) for e in checks] == [
        ("identity", True, "sunba"),
        ("eligibility", True, "sunba"),
    ]
    assert checks[0].payload["phone"] == PHONE and checks[0].payload["note"] == "原件复印件已核"
    card = clerk.get(at_site(f"deals/{deposit}/")).content.decode()
    row = card.split('id="check-eligibility"')[1].split("</tr>")[0]
    assert "通过" in row and "孙八" in row and "S2.2" in row
    assert client_for("qianqi").post(at_site("deals/new/"), _deal()).status_code == 302
    signing = Entry.objects.get(project=site, kind="deal", payload__type="signing")
    assert "checks_overridden" not in signing.payload
    assert _awaiting(site, signing.fact_id) is None and _awaiting(site, deposit) is None


def test_s2_2_a_failed_check_keeps_the_signing_refused() -> None:
    """S2.2: eligibility checked and failed is not passed: the signing stays refused."""
    site = _site(checks=("eligibility",))
    failed = {"c-phone": "13800000001", "c-item": "eligibility", "c-result": "no", "c-note": "限购"}
    assert client_for("sunba").post(at_site("deals/check/"), failed).status_code == 302
    response = client_for("qianqi").post(at_site("deals/new/"), _deal())
    assert response.status_code == 422 and "购房资格审核(S2.2)" in response.content.decode()
    assert _count(site, "deal") == 0


def test_s2_only_the_manager_forces_a_signing_and_its_commission_stays_held() -> None:
    """S2.1: the manager records the signing with the checks open and his reason; the card shows
    the reason, the commission is held. The clerk is not offered the reason, and one posted by
    him is not his to give."""
    site = _site()
    clerk_page = client_for("sunba").get(at_site("deals/")).content.decode()
    assert 'name="checks_overridden"' not in clerk_page
    refused = client_for("sunba").post(at_site("deals/new/"), _deal(checks_overridden="客户急签"))
    assert refused.status_code == 422 and "资格审核未完成" in refused.content.decode()
    manager = client_for("zhaoliu")
    assert 'name="checks_overridden"' in manager.get(at_site("deals/")).content.decode()
    reason = "客户明日出国,先签约后补件"
    assert manager.post(at_site("deals/new/"), _deal(checks_overridden=reason)).status_code == 302
    signing = Entry.objects.get(project=site, kind="deal")
    assert signing.payload["checks_overridden"] == reason
    assert _awaiting(site, signing.fact_id) == "qualification"
    card = manager.get(at_site(f"deals/{signing.fact_id}/")).content.decode()
    assert reason in card and "待资格审核" in card
    # a reason where nothing is open is not asked for
    deposit = manager.post(at_site("deals/new/"), _deal(type="deposit", checks_overridden=reason))
    assert deposit.status_code == 422 and "只有资格审核未完成的签约需要" in deposit.content.decode()


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"c-item": "credit"}, "审核项: 本案场制度不要求此项审核"),
        ({"c-item": "dna"}, "审核项: 不在可选的范围内"),
        ({"c-result": "maybe"}, "审核结果: 不在可选的范围内"),
        ({"c-phone": "13900000009"}, "客户电话: 记录中没有这位客户"),
        ({"c-phone": "12"}, "客户电话: "),
        ({"c-note": "x" * 201}, "备注: "),
    ],
)
def test_bad_check_input_names_the_field_and_writes_nothing(posted: dict[str, str], message: str) -> None:
    site = _site()
    good = {"c-phone": "13800000001", "c-item": "identity", "c-result": "yes", "c-note": ""}
    response = client_for("sunba").post(at_site("deals/check/"), good | posted)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert _count(site, "qualification_check") == 0


def test_a_consultant_checks_nobody() -> None:
    """The roles: a consultant may not check a buyer (403), nor is he offered the form."""
    site = _site()
    good = {"c-phone": "13800000001", "c-item": "identity", "c-result": "yes"}
    assert client_for("zhangsan").post(at_site("deals/check/"), good).status_code == 403
    assert 'id="check-form"' not in client_for("zhangsan").get(at_site("deals/")).content.decode()
    assert _count(site, "qualification_check") == 0


def test_a_site_without_the_checklist_offers_no_check_and_refuses_one() -> None:
    """S2.2: where the policy checks nobody the screens offer no check, a posted one is refused
    with the reason, and a signing is taken without any."""
    site = _site(checks=())
    assert 'id="check-form"' not in client_for("sunba").get(at_site("deals/")).content.decode()
    good = {"c-phone": "13800000001", "c-item": "identity", "c-result": "yes"}
    response = client_for("sunba").post(at_site("deals/check/"), good)
    assert response.status_code == 422 and "本案场制度没有购房资格审核" in response.content.decode()
    assert _count(site, "qualification_check") == 0
    assert client_for("qianqi").post(at_site("deals/new/"), _deal()).status_code == 302
