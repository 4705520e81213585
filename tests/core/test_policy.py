"""Policies: every preset loads and cites real rules; bad TOML is refused naming the key."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import get_args

import pytest

from guishu.core.policy import _RULE_OF_MODE, Policy, PolicyError, Referral, parse_policy, policy_from_dict
from guishu.core.policy_text import _REFERRAL, explain_policy
from guishu.policies import PRESET_IDS, load_policy, load_preset, preset_text

RULES_MD = Path(__file__).resolve().parents[2] / "docs" / "seed" / "RULES.md"  # vendored copy of the seed

_BULLET = re.compile(r"^- (S\d+\.[0-9A-Z]+)\b")
_INLINE = re.compile(r"(?:^- |\. )(S\d+\.[0-9A-Z]+) ")
_SUBITEM = re.compile(r"^\s+- ([a-z])\)")


@cache
def catalogue_ids() -> frozenset[str]:
    """Rule ids defined in RULES.md: '- S8.10 ', inline 'S5.2 ', 'S1.C1' and S14.3's 'a)' items."""
    ids: set[str] = set()
    last: str | None = None
    for line in RULES_MD.read_text(encoding="utf-8").splitlines():
        bullet = _BULLET.match(line)
        if bullet:
            last = bullet.group(1)
            ids.update(_INLINE.findall(line))
            continue
        sub = _SUBITEM.match(line)
        if sub and last is not None:
            ids.add(last + sub.group(1))
    return frozenset(ids)


def _source_ids(source: str) -> set[str]:
    return {i for i in catalogue_ids() if i.split(".")[0] == source and "." in i}


def test_catalogue_parser_finds_all_id_forms() -> None:
    """core: the RULES.md parser finds plain (S8.10), case (S1.C1), lettered (S14.3a) and
    inline (S5.2) ids."""
    # given the catalogue
    ids = catalogue_ids()
    # when / then every form is present and nothing made up is
    for rule in ("S8.10", "S1.C1", "S1.C12", "S14.3a", "S14.3f", "S5.2", "S15.3", "S18.25"):
        assert rule in ids
    assert "S14.3g" not in ids
    assert "S8.13" not in ids


# ---------------------------------------------------------------------------
# presets


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_every_preset_loads(preset: str) -> None:
    """core: every preset in guishu.policies.PRESET_IDS parses into a Policy with its own id."""
    # given a preset id
    # when loaded
    policy = load_preset(preset)
    # then it is a valid policy of that id, citing its own seed document
    assert isinstance(policy, Policy)
    assert policy.id == preset
    assert policy.source == preset.upper()
    assert policy.key == f"{preset}@v{policy.version}"
    assert load_policy(preset) == policy


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_preset_rules_exist_in_catalogue(preset: str) -> None:
    """core: every rule id a preset lists in `rules` and `not_computable` exists in RULES.md
    and belongs to the preset's own seed document."""
    # given a preset
    policy = load_preset(preset)
    # when its cited ids are compared with the catalogue
    listed = set(policy.rules) | set(policy.not_computable)
    unknown = listed - catalogue_ids()
    foreign = {r for r in listed if r.split(".")[0] != policy.source}
    # then none is unknown or from another document
    assert policy.rules, "a preset must list the rules it implements"
    assert not unknown, f"{preset}: ids not in RULES.md: {sorted(unknown)}"
    assert not foreign, f"{preset}: ids of another document: {sorted(foreign)}"


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_preset_covers_its_whole_document(preset: str) -> None:
    """core: each rule of the preset's seed document is either implemented (`rules`) or
    explained as not computable, never silently dropped nor both."""
    # given a preset and the rules of its source document
    policy = load_preset(preset)
    expected = _source_ids(policy.source)
    # when / then
    missing = expected - set(policy.rules) - set(policy.not_computable)
    assert not missing, f"{preset}: rules neither implemented nor explained: {sorted(missing)}"
    both = set(policy.rules) & set(policy.not_computable)
    assert not both, f"{preset}: rules both implemented and explained away: {sorted(both)}"
    for reason in policy.not_computable.values():
        assert reason.zh.strip() and reason.en.strip()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in reason.zh), reason.zh  # the Chinese one is Chinese


def _section_rules(policy: Policy) -> dict[str, str]:
    out: dict[str, str] = {}
    for section, value in policy.model_dump().items():
        if isinstance(value, dict):
            for key, item in value.items():
                if (key == "rule" or key.endswith("_rule")) and isinstance(item, str):
                    out[f"{section}.{key}"] = item
    return out


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_preset_section_rules_exist_in_catalogue(preset: str) -> None:
    """core: the rule each policy section cites (ownership.rule, pending.rule ...) exists in
    RULES.md."""
    # given a preset's section rule citations
    cited = _section_rules(load_preset(preset))
    # when / then every one is a real catalogue id
    unknown = {k: v for k, v in cited.items() if v not in catalogue_ids()}
    assert not unknown, f"{preset}: {unknown}"


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_preset_text_round_trips(preset: str) -> None:
    """core: a preset's TOML text parses to the loaded preset, and its dump parses back equal."""
    # given the preset's text and the loaded policy
    text = preset_text(preset)
    loaded = load_preset(preset)
    # when parsed again, and when its JSON dump is validated again
    parsed = parse_policy(text)
    from_json = policy_from_dict(parsed.model_dump(mode="json"))
    from_python = policy_from_dict(parsed.model_dump())
    # then all are equal
    assert parsed == loaded
    assert from_json == parsed
    assert from_python == parsed


def test_unknown_preset_is_refused() -> None:
    """core: asking for a preset that does not exist raises PolicyError on key 'policy'."""
    # given / when / then
    with pytest.raises(PolicyError) as info:
        preset_text("s99")
    assert info.value.key == "policy"


# ---------------------------------------------------------------------------
# errors name the key


def _s8_with(old: str, new: str) -> str:
    text = preset_text("s8")
    assert old in text, f"{old!r} not in s8.toml"
    return text.replace(old, new, 1)


def _s8_without_referral() -> str:
    text = preset_text("s8")
    start = text.index("[referral]")
    return text[:start] + text[text.index("[", start + 1) :]


def _s8_without_reasons() -> str:
    text = preset_text("s8")
    start = text.index('[not_computable."S8.4"]')
    return text[:start] + text[text.index("[ownership]") :]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # unknown keys
        (_s8_with("days = 7", "dayz = 7"), "protection.dayz"),
        (preset_text("s8") + "\n[bogus]\nx = 1\n", "bogus"),
        (_s8_with('id = "s8"', 'id = "s8"\ncolour = "red"'), "colour"),
        # wrong types
        (_s8_with("days = 7", 'days = "seven"'), "protection.days"),
        (_s8_with("claim_days = 3", "claim_days = 3.5"), "pending.claim_days"),
        (_s8_with("enabled = true", 'enabled = "yes please"'), "pending.enabled"),
        (_s8_with('mode = "accompanied_unless_refused"', 'mode = "sometimes"'), "referral.mode"),
        (_s8_without_referral() + '\n[referral]\nmode = ["none"]\n', "referral.mode"),
        (_s8_with('"S8.1", "S8.2"', '"8.1", "S8.2"'), "rules.0"),
        # out of range
        (_s8_with("[refusal]", '[refusal]\noriginal_share = "1.5"'), "refusal.original_share"),
        (_s8_with("[refusal]", "[refusal]\noriginal_share = 1.01"), "refusal.original_share"),
        (_s8_with("[refusal]", '[refusal]\noriginal_share = "-0.1"'), "refusal.original_share"),
        (_s8_with("days = 7", "days = 0"), "protection.days"),
        # bad mask form
        (
            preset_text("s8") + '\n[channel]\nenabled = true\naccepted_masks = ["first2_last4"]\n',
            "channel.accepted_masks",
        ),
        (
            preset_text("s8") + '\n[channel]\nenabled = true\naccepted_masks = ["1381**45678"]\n',
            "channel.accepted_masks",
        ),
        # a rule explained away needs its reason in Chinese and English
        (_s8_with('zh = "定期跟进是 S8.11 所要求的义务,系统在 S8.11 中计量。"\n', ""), "not_computable.S8.4.zh"),
        (_s8_without_reasons() + '\n[not_computable]\n"S8.4" = "conduct"\n', "not_computable.S8.4"),
        # S2, S15.4: a checklist empty, repeating an item, or naming one there is not
        (preset_text("s8") + "\n[modules]\nqualification = true\nchecks = []\n", "modules.checks"),
        (preset_text("s8") + '\n[modules]\nchecks = ["identity", "identity"]\n', "modules.checks"),
        (preset_text("s8") + '\n[modules]\nchecks = ["identity", "dna"]\n', "modules.checks.1"),
        # bad TOML
        (preset_text("s8") + "\n[[[bad\n", "(toml)"),
        ('id = "s8"\nversion = ', "(toml)"),
    ],
)
def test_parse_policy_error_names_the_key(text: str, key: str) -> None:
    """core: parse_policy refuses unknown keys, wrong types, shares outside 0..1, bad mask
    forms and bad TOML with a PolicyError naming the dotted key."""
    # given a broken policy text
    # when parsed
    with pytest.raises(PolicyError) as info:
        parse_policy(text)
    # then the key is named and the message explains, in Chinese and English
    assert info.value.key == key
    assert " / " in info.value.message
    assert str(info.value).startswith(f"{key}: ")


@pytest.mark.parametrize(
    ("text", "keys", "mentions"),
    [
        # a channel basis without the channel layer
        (
            _s8_with("[ownership]", '[ownership]\nbasis = "channel"'),
            {"ownership.basis", "channel.enabled"},
            "channel.enabled",
        ),
        # confirmation-based protection outside the confirmation-desk basis
        (
            _s8_with('basis = "follow_up"', 'basis = "confirmation"'),
            {"protection.basis", "ownership.basis"},
            "protection.basis",
        ),
        # a fine range upside down
        (
            _s8_with("[refusal]", '[refusal]\nfine_min = "500"\nfine_max = "100"'),
            {"refusal.fine_min", "refusal.fine_max"},
            "fine_min",
        ),
        # protection days missing although protection has a basis
        (_s8_with("days = 7", ""), {"protection.days"}, "days"),
    ],
    ids=["channel-basis", "confirmation-basis", "fine-range", "days-missing"],
)
def test_coherence_error_names_the_key(text: str, keys: set[str], mentions: str) -> None:
    """core: a policy whose settings contradict each other (basis channel without
    channel.enabled ...) raises a PolicyError naming the offending key, not the whole policy."""
    # given a policy with two settings that do not fit together
    # when parsed
    with pytest.raises(PolicyError) as info:
        parse_policy(text)
    # then the message explains it and the key names one of the settings involved
    assert mentions in info.value.message
    assert info.value.key in keys


def test_channel_basis_with_channel_enabled_is_accepted() -> None:
    """core: with channel.enabled the same channel-ownership policy is valid."""
    # given channel ownership with the channel layer on
    text = _s8_with("[ownership]", '[ownership]\nbasis = "channel"') + (
        '\n[channel]\nenabled = true\naccepted_masks = ["first4_last5", "first3_last4"]\n'
    )
    # when parsed
    policy = parse_policy(text)
    # then both settings are kept
    assert policy.ownership.basis == "channel"
    assert policy.channel.enabled is True
    assert policy.channel.accepted_masks == ("first4_last5", "first3_last4")


def test_share_written_as_toml_float_is_an_exact_decimal() -> None:
    """core: a share written as a TOML float (0.3) is exactly Decimal('0.3'), so splits still
    sum to exactly 1."""
    # given a share written without quotes
    text = preset_text("s16").replace('owner_closes_assistant_share = "0.3"', "owner_closes_assistant_share = 0.3")
    assert text != preset_text("s16")
    # when parsed
    policy = parse_policy(text)
    # then the Decimal is exact
    assert policy.assist.owner_closes_assistant_share == Decimal("0.3")
    assert Decimal(1) - policy.assist.owner_closes_assistant_share == Decimal("0.7")


@pytest.mark.parametrize(
    ("referral", "rule"),
    [
        ("", "S1.C8"),
        ('[referral]\nmode = "none"\n', "S1.C8"),
        ('[referral]\nmode = "accompanied_unless_refused"\n', "S8.8"),
        ('[referral]\nmode = "accompanied_or_named"\n', "S16.14"),
        ('[referral]\nmode = "unregistered_accompanied"\n', "S14.3d"),
        ('[referral]\nmode = "accompanied_or_named"\nrule = "S8.8"\n', "S8.8"),  # a site's own choice is kept
    ],
)
def test_a_referral_mode_without_a_rule_cites_the_clause_it_comes_from(referral: str, rule: str) -> None:
    """S1.C8, S8.8, S14.3d, S16.14: a 老带新 mode given without its rule id cites the clause whose
    practice it is (never S8.8 for 'the rotation decides', which S8.8 contradicts)."""
    # given a policy whose document says nothing of referrals, or names a mode only
    text = _s8_without_referral() + "\n" + referral
    # when parsed
    policy = parse_policy(text)
    # then
    assert policy.referral.rule == rule


def test_policy_show_marks_a_clause_borrowed_from_another_seed_policy() -> None:
    """S8.9: `policy show s4` says where S4 is silent and the engine follows another policy's
    practice (S8.9 for complaints); the s8 preset's own S8.9 carries no such note."""
    # given
    s4 = explain_policy(load_preset("s4"))
    s8 = explain_policy(load_preset("s8"))
    # then
    (complaint_s4,) = [line for line in s4 if "投诉/拒绝原顾问" in line]
    (complaint_s8,) = [line for line in s8 if "投诉/拒绝原顾问" in line]
    assert complaint_s4.startswith("[S8.9]") and complaint_s4.endswith("(本制度未规定此项,参照 S8.9 的做法)")
    assert complaint_s8.startswith("[S8.9]") and "本制度未规定" not in complaint_s8
    assert not any("本制度未规定" in line for line in s4 if line.startswith("[S4."))


def test_every_referral_mode_has_its_clause_and_its_explanation() -> None:
    """core: each 老带新 mode the policy accepts cites a clause and is explained in Chinese."""
    modes = set(get_args(Referral.model_fields["mode"].annotation))
    assert modes == set(_RULE_OF_MODE) == set(_REFERRAL)


def test_a_sites_own_policy_marks_nothing_as_borrowed() -> None:
    """core: a site's own policy (its source is not a seed policy) cites seed rules by choice: no clause
    is marked as borrowed."""
    policy = parse_policy(preset_text("s4").replace('source = "S4"', 'source = "金地案场 2026"'))
    lines = explain_policy(policy)
    assert any(line.startswith("[S8.9]") for line in lines)
    assert not any("本制度未规定" in line for line in lines)


def test_policy_show_leaves_out_registration_clauses_where_registrations_decide_nothing() -> None:
    """S18.12, S6.2: under hand-ins (s18) or channels (s6) a registration decides no owner, so who was
    named or who brought a friend is not explained as if it did."""
    for preset in ("s18", "s6"):
        lines = explain_policy(load_preset(preset))
        assert not any("老带新" in line or "客户指名" in line for line in lines), preset
    assert any("老带新" in line for line in explain_policy(load_preset("s8")))
