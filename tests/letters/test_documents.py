"""Printed documents (issue 16) read back as a person would: the customer confirmation letter,
the channel's visit sheet (S6.7) and the commission statement as PDFs, their text by pdftotext,
Noto CJK embedded (pdffonts), a page of each kept as an image, and the QR on it, decoded from
that image, checked by the no-login verification page and ``guishu verify-receipt``."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from guishu.cli.main import main as cli
from guishu.core.identity import mask_phone, national_digits
from guishu.core.receipt_codes import parse
from guishu.desk import selectors as desk_selectors
from guishu.record import engines
from guishu.record.actions import create_project, import_fact
from guishu.record.models import Entry, Project
from guishu.visits.models import VisitForm
from tests.letters import pdfs
from tests.record.builders import visit
from tests.record.test_tamper import past_the_guards
from tests.sites.builders import at_site, client_for, user
from tests.statements.builders import PHONE, last_month_noon, month_of, signed_site
from tests.visits.builders import FORM, reported_site

pytestmark = pytest.mark.django_db(transaction=True)

VALID, INVALID = "有效</strong>", "无效</strong>"
PRINT_LINE = "打印:"


def _without_print_line(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if PRINT_LINE not in line)


def _letter(project: Project, who: str = "zhaoliu") -> bytes:
    group = _group(project)
    response = client_for(who).get(at_site(f"letters/customer/{group}/"))
    assert response.status_code == 200, response.content.decode()
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "no-store"
    return response.content


def _group(project: Project) -> str:
    verdicts = desk_selectors.my_customers(project, "zhangsan")
    assert len(verdicts) == 1
    return verdicts[0].group


def _scanned(data: bytes, name: str) -> str:
    return pdfs.qr_text(pdfs.page_image(data, name))


def _verify_path(url: str) -> str:
    assert "/verify/?code=GSR1." in url, url
    return url[url.index("/verify/") :]


@pytest.fixture
def site() -> Project:
    project = signed_site()
    user("sunba", "clerk", "孙八", project=project)
    user("zhouqi", "front_desk", "周七", project=project)
    return project


def test_the_confirmation_letter_names_the_owner_the_rule_and_masks_the_phone(site: Project) -> None:
    """S3.1, S8.1: the letter of 王建国, whom 张三 received first: the owner, since when, the rule
    and the policy version, the phone masked even when printed by the manager; Noto CJK embedded."""
    verdict = desk_selectors.my_customers(site, "zhangsan")[0]
    data = _letter(site)
    text = pdfs.words(data)
    assert "客户确认书" in text and "示范案场" in text and "王建国" in text
    assert mask_phone(PHONE) in text and national_digits(PHONE) not in text
    assert "归属张三" in text
    assert [r.rule for r in verdict.reasons] and all(r.rule in text for r in verdict.reasons)
    assert verdict.policy and verdict.policy in text
    visit_seq = Entry.objects.get(project=site, kind="registration").seq
    assert f"依据记录第{visit_seq}条" in text
    assert "打印:赵六" in text  # the one line that changes with each print, by whom
    fonts = pdfs.fonts(data)
    assert "Noto-Sans-CJK-SC" in fonts and " yes yes yes " in fonts
    assert pdfs.page_image(data, "confirmation").stat().st_size > 10_000


def test_the_same_record_prints_the_same_letter_but_for_the_print_line(site: Project) -> None:
    first = pdfs.text(_letter(site, "zhaoliu"))
    again = pdfs.text(_letter(site, "sunba"))
    assert first != again  # the print line names who printed
    assert _without_print_line(first) == _without_print_line(again)
    assert sum(PRINT_LINE in line for line in first.splitlines()) == 1


def test_the_letters_qr_scans_to_the_verification_page_which_says_valid(site: Project) -> None:
    """The code a phone reads from the printed page opens /verify/ without a login: 有效, and
    the page shows nothing of the customer."""
    url = _scanned(_letter(site), "confirmation-qr")
    page = Client().get(_verify_path(url)).content.decode()
    assert VALID in page
    assert "王建国" not in page and mask_phone(PHONE) not in page and "张三" not in page


def test_a_code_altered_or_whose_entry_was_rewritten_is_invalid(site: Project) -> None:
    url = _scanned(_letter(site), "confirmation-qr")
    code = parse(url)
    assert code is not None
    forged = url.replace(code.entry_hash, code.entry_hash[::-1])
    assert INVALID in Client().get(_verify_path(forged)).content.decode()
    other_head = url.replace(code.head_root, "0" * len(code.head_root))
    assert INVALID in Client().get(_verify_path(other_head)).content.decode()
    # someone with the database rewrites the visit the letter rests on, past the guards
    entry = Entry.objects.get(project=site, seq=code.seq)
    with past_the_guards(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE record_entry SET payload = %s WHERE project_id = %s AND seq = %s",
            [json.dumps({**entry.payload, "receiver": "lisi"}), site.pk, code.seq],
        )
    page = Client().get(_verify_path(url)).content.decode()
    assert INVALID in page and "与现在的记录不符" in page


def test_verify_receipt_checks_a_letters_code_from_a_file(site: Project, tmp_path: Path) -> None:
    url = _scanned(_letter(site), "confirmation-qr")
    held = tmp_path / "scanned.txt"
    held.write_text(url + "\n", encoding="utf-8")
    assert cli(["verify-receipt", str(held)]) == 0
    code = parse(url)
    assert code is not None
    held.write_text(code.text().replace(code.entry_hash, "f" * 64), encoding="utf-8")
    assert cli(["verify-receipt", str(held)]) == 1
    assert cli(["verify-receipt", str(held), "--offline"]) == 2  # a code holds no proof


def test_no_letter_for_a_customer_nobody_owns_and_the_reason_is_said() -> None:
    """A customer whose protection ran out long ago is public (S8.1): there is no owner to
    confirm, and the refusal says so; an unknown customer is said unknown."""
    engines.forget_all()
    site = create_project(code="demo", name="示范案场", policy="s8")
    long_ago = timezone.now() - timedelta(days=400)
    staff = {"kind": "staff_joined", "staff": "lisi", "name": "李四", "role": "consultant", "team": "A"}
    import_fact(project=site, data={**staff, "at": (long_ago - timedelta(hours=1)).isoformat()})
    import_fact(project=site, data={**visit("lisi", "+8613900000009", "刘一"), "at": long_ago.isoformat()})
    user("zhaoliu", "manager", "赵六", project=site)
    engine = engines.live_engine(site).engine
    group = next(g for g, found in engine.groups.items() if "+8613900000009" in found.members)
    verdict = desk_selectors.verdict_now(site, group)
    assert verdict is not None and verdict.state == "public"
    response = client_for("zhaoliu").get(at_site(f"letters/customer/{group}/"))
    assert response.status_code == 409 and "没有可确认的归属" in response.content.decode()
    unknown = client_for("zhaoliu").get(at_site("letters/customer/no-such-group/"))
    assert unknown.status_code == 409 and "没有这个客户组" in unknown.content.decode()


def test_a_consultant_may_not_print_a_letter(site: Project) -> None:
    assert client_for("zhangsan").get(at_site(f"letters/customer/{_group(site)}/")).status_code == 403


def test_the_statement_prints_its_lines_and_once_approved_the_approvals_qr(site: Project) -> None:
    """S8.1: 张三's statement of last month, ¥5,000.00 for the signing of 3-1502; unapproved it
    carries no QR; approved, the QR of finance's approval, which verifies."""
    month = month_of(last_month_noon())
    finance = client_for("zhengshiyi")
    open_pdf = finance.get(at_site("statements/pdf/"), {"payee": "zhangsan", "month": month})
    assert open_pdf.status_code == 200 and open_pdf["Content-Type"] == "application/pdf"
    text = pdfs.words(open_pdf.content)
    assert "结佣单" in text and "张三" in text and "3-1502" in text and "S8.1" in text and "¥5,000.00" in text
    assert "核验码" not in text
    assert (
        finance.post(
            at_site("statements/approve/"), {"payee": "zhangsan", "month": month, "total": "5000.00"}
        ).status_code
        == 302
    )
    approved = finance.get(at_site("statements/pdf/"), {"payee": "zhangsan", "month": month}).content
    words = pdfs.words(approved)
    assert "已审批" in words and "郑十一" in words
    approval = Entry.objects.get(project=site, kind="statement_approved")
    assert f"依据记录第{approval.seq}条" in words
    assert "Noto-Sans-CJK-SC" in pdfs.fonts(approved)
    url = _scanned(approved, "statement")
    assert VALID in Client().get(_verify_path(url)).content.decode()
    bad = finance.get(at_site("statements/pdf/"), {"payee": "nobody", "month": month})
    assert bad.status_code == 422 and "结佣对象" in bad.content.decode()
    assert (
        client_for("zhangsan").get(at_site("statements/pdf/"), {"payee": "zhangsan", "month": month}).status_code == 403
    )


@pytest.fixture
def channel_site() -> Project:
    return reported_site()


def test_the_visit_sheet_has_three_signoffs_and_its_qr_once_complete(channel_site: Project) -> None:
    """S6.7: the sheet shows name, gender, the masked phone and the three parties; while a
    signature is missing it says it is not a confirmation and has no QR; complete, it carries
    the QR of the visit confirmation's entry."""
    assert client_for("sunba").post("/s/demo/visits/", FORM).status_code == 302
    form = VisitForm.objects.get()
    client_for("wangwu").post(f"/s/demo/visits/{form.pk}/sign/")
    half = client_for("sunba").get(f"/s/demo/letters/visit/{form.pk}/")
    assert half.status_code == 200
    text = pdfs.words(half.content)
    assert "来访客户确认单" in text and "李梅" in text and "1380**00002" in text and "王五" in text
    assert "尚未签齐" in text and "核验码" not in text and "13800000002" not in text
    for signer in ("sunba", "qianjiu"):
        client_for(signer).post(f"/s/demo/visits/{form.pk}/sign/")
    form.refresh_from_db()
    assert form.submitted
    done = client_for("qianjiu").get(f"/s/demo/letters/visit/{form.pk}/").content
    words = pdfs.words(done)
    assert all(name in words for name in ("王五", "孙八", "钱九")) and "三方签字齐全" in words
    confirmation = Entry.objects.get(project=channel_site, kind="visit_confirmation")
    assert f"依据记录第{confirmation.seq}条" in words
    assert VALID in Client().get(_verify_path(_scanned(done, "visit-sheet"))).content.decode()
    listed = client_for("sunba").get("/s/demo/visits/").content.decode()
    assert f'href="/s/demo/letters/visit/{form.pk}/"' in listed[listed.index('id="visits-done"') :]
    assert f"letters/visit/{form.pk}/" not in client_for("chenshi").get("/s/demo/visits/").content.decode()
    # another agent's sheet is as good as unknown to him
    assert client_for("chenshi").get(f"/s/demo/letters/visit/{form.pk}/").status_code == 404
