"""Who saw whose full data (S3.1) is a fact of the record that no verdict depends on."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from guishu.cli.records import read_record
from guishu.core.attribution import Attributor, decide
from guishu.core.events import Disclosed, Fact, FactError, dump_fact, fact_from_dict, parse_fact
from guishu.core.verdict_json import attribution_json
from guishu.policies import PRESET_IDS, load_preset, presets
from tests.builders import PHONE_A, PHONE_B, Record

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "guishu" / "examples"
LATER = timedelta(days=40)  # long enough for protections to lapse, were the clock to move


def _disclosure(n: int, at: datetime, phones: tuple[str, ...], staff: str = "zhangsan") -> Disclosed:
    return Disclosed(id=f"v{n}", at=at, staff=staff, screen="desk", shown=("phone",), phones=phones)


def _with_disclosures(facts: list[Fact]) -> list[Fact]:
    """The record with a disclosure after each of its facts, of the phones that fact names (or a
    phone nobody registered), and a last one well after the record's end."""
    out: list[Fact] = []
    for n, f in enumerate(facts):
        out.append(f)
        phone = getattr(f, "phone", None) or "+8613700009999"
        phones = (phone,) if isinstance(phone, str) and phone.startswith("+") else ("+8613700009999",)
        out.append(_disclosure(n, f.at + timedelta(minutes=1), phones))
    last = max(f.at for f in facts)
    out.append(_disclosure(len(facts), last + LATER, ("+8613700009999",), staff="lisi"))
    return out


def _answers(facts: list[Fact], preset: str, at: datetime | None) -> dict[str, Any]:
    result = attribution_json(decide(facts, load_preset(preset), at=at, catalogue=presets()))
    return json.loads(json.dumps(result, default=str))  # type: ignore[no-any-return]


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_disclosures_change_no_answer_of_an_example_record(preset: str) -> None:
    """core: each preset's example record gives the same verdicts, splits, penalties, invalid
    entries and reports with a disclosure after every fact, at the record's end, 40 days later
    and at the default moment (the last fact's: a disclosure 40 days on does not move it)."""
    # given the example record and the same record with disclosures interleaved
    facts = read_record(EXAMPLES / f"{preset}.jsonl")
    seen = _with_disclosures(facts)
    last = max(f.at for f in facts)
    for at in (None, last, last + LATER):
        # when both are decided
        # then they answer alike
        assert _answers(seen, preset, at) == _answers(facts, preset, at), (preset, at)


def test_an_engine_keeps_nothing_of_a_disclosure() -> None:
    """core: applied to the engine a disclosure touches no group, makes none for a phone the
    record does not know, and leaves the engine's clock where the last sales fact put it."""
    # given 张三's customer 王建国
    r = Record()
    r.visit("zhangsan", PHONE_A)
    engine = Attributor(load_preset("s8"), catalogue=presets())
    engine.apply_all(r.facts)
    groups, clock = dict(engine.groups), engine.clock
    assert clock is not None
    # when 张三 is shown his customer's phone, and another of a phone nobody registered, days later
    touched = engine.apply(_disclosure(1, clock + timedelta(minutes=5), (PHONE_A,)))
    touched += engine.apply(_disclosure(2, clock + LATER, (PHONE_B,)))
    # then no group is touched or made, and "now" is still the registration's
    assert touched == []
    assert engine.groups == groups and PHONE_B not in engine.by_phone
    assert engine.clock == clock
    assert [f.kind for f in engine.groups[next(iter(groups))].facts] == ["registration"]


def test_a_disclosure_id_is_still_one_of_the_record() -> None:
    """core: a disclosure's id counts among the record's ids: another fact of the same id is a
    duplicate, as for any fact."""
    # given
    r = Record()
    r.visit("zhangsan", PHONE_A)
    engine = Attributor(load_preset("s8"))
    engine.apply_all(r.facts)
    engine.apply(_disclosure(1, r.facts[-1].at, (PHONE_A,)))
    # when / then
    with pytest.raises(ValueError, match="v1"):
        engine.apply(_disclosure(1, r.facts[-1].at, (PHONE_A,)))


def test_a_disclosure_round_trips_with_its_phones_normalised() -> None:
    """core: the codec reads a disclosure's phones as it reads every phone (stored E.164)."""
    # given a line as the desk writes it, the phones written two ways
    line = json.dumps(
        {
            "kind": "disclosed",
            "id": "v1",
            "at": "2026-03-02T10:05:00+08:00",
            "staff": "zhangsan",
            "screen": "mine",
            "shown": ["phone"],
            "phones": ["138 0000 0001", "+86 139-0000-0002"],
        }
    )
    # when
    fact = parse_fact(line)
    # then
    assert isinstance(fact, Disclosed)
    assert fact.phones == ("+8613800000001", "+8613900000002")
    assert dump_fact(fact)["phones"] == ["+8613800000001", "+8613900000002"]
    assert parse_fact(json.dumps(dump_fact(fact))) == fact


GOOD: dict[str, Any] = {
    "kind": "disclosed",
    "id": "v1",
    "at": "2026-03-02T10:05:00+08:00",
    "staff": "zhangsan",
    "screen": "desk",
    "shown": ["phone"],
    "phones": ["13800000001"],
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phones": []}, "phones"),  # whose: at least one customer
        ({"phones": ["138****0001"]}, "phones.0"),  # a mask is not full data
        ({"phones": ["1380000"]}, "phones.0"),
        ({"shown": []}, "shown"),
        ({"shown": ["id_card"]}, "shown.0"),
        ({"screen": "printed"}, "screen"),
        ({"staff": ""}, "staff"),
        ({"staff": None}, "staff"),
        ({"group": "G1"}, "group"),  # unknown keys are refused, as for every fact
    ],
)
def test_a_disclosure_names_the_bad_field(change: dict[str, Any], field: str) -> None:
    """core: a disclosure without a viewer, a screen, what was shown or whose full phones is
    refused with the field named."""
    # given a disclosure with one field wrong (None: left out)
    data = {k: v for k, v in (GOOD | change).items() if v is not None}
    # when / then
    with pytest.raises(FactError) as info:
        fact_from_dict(data)
    assert info.value.field == field
    fact_from_dict(GOOD)  # and the same fact with its fields right is read
