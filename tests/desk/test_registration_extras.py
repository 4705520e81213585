"""S15.1: where the site's policy takes the buyer's resident ID at registration (modules.id_at),
the registration form asks it, checks it and writes it; elsewhere it is asked at the deal."""

from __future__ import annotations

from guishu.desk.forms import RegistrationForm

DATA = {"mode": "visit", "name": "王建国", "gender": "M", "phone": "13800000001", "intent": "三居", "source": "路过"}


def test_s15_1_the_id_is_asked_at_registration_only_where_the_policy_says() -> None:
    """S15.1: the form has the ID field only when asked; a valid ID reaches the fact's customer."""
    assert "id_number" not in RegistrationForm(sellers=[]).fields
    form = RegistrationForm(DATA | {"id_number": "110101199003074258"}, sellers=[], ask_id=True)
    assert form.is_valid(), form.errors
    assert form.fact("zhangsan", clerk=False)["customer"]["id_number"] == "110101199003074258"


def test_s15_1_a_wrong_id_is_refused_naming_the_field() -> None:
    """S15.1: an ID whose check digit does not match is refused on its field, in Chinese."""
    form = RegistrationForm(DATA | {"id_number": "110101199003074259"}, sellers=[], ask_id=True)
    assert not form.is_valid()
    assert form.errors["id_number"][0].startswith("身份证号: 校验位不对")
