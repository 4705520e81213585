"""The chain's canonical form: the append hashes the text it stores, the verifier the parsed payload."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from guishu.record.chain import at_text, canonical_text, entry_hash, entry_hash_of_text, entry_hash_v2, v2_hasher

# JSON values as facts hold them: text (Chinese, quotes, escapes), whole numbers, flags, nesting
scalars = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.text(max_size=12)
payloads = st.dictionaries(
    st.text(max_size=8),
    st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner)),
    max_size=6,
)


@given(
    payload=payloads,
    project=st.text(min_size=1, max_size=10),
    seq=st.integers(1, 10**9),
    actor=st.none() | st.integers(1, 10**6),
)
def test_hash_of_stored_text_equals_hash_of_parsed_payload(
    payload: dict[str, object], project: str, seq: int, actor: int | None
) -> None:
    """S8.12: the hash an append computes from the text it stores is the one verify recomputes."""
    prev = "0" * 64
    text = canonical_text(payload)
    assert json.loads(text) == payload  # the stored text reads back as the payload
    digest = entry_hash_of_text(prev, project=project, seq=seq, actor=actor, fact_text=text)
    assert digest == entry_hash(prev, project=project, seq=seq, actor=actor, payload=json.loads(text))
    # and it is the chain's definition, the canonical entry hashed whole (as records made before
    # the append spelled the entry out were hashed): their chains still verify
    entry = {"project": project, "seq": seq, "actor": actor, "fact": payload}
    assert digest == hashlib.sha256((prev + canonical_text(entry)).encode("utf-8")).hexdigest()


def test_canonical_form_is_sorted_compact_and_unescaped() -> None:
    """S8.12: one text per value, whatever order the keys came in."""
    assert canonical_text({"b": 1, "a": {"d": "王", "c": [1, 2]}}) == '{"a":{"c":[1,2],"d":"王"},"b":1}'
    same = {"a": {"c": [1, 2], "d": "王"}, "b": 1}
    assert canonical_text(same) == canonical_text({"b": 1, "a": {"d": "王", "c": [1, 2]}})


@given(
    payload=payloads,
    project=st.text(min_size=1, max_size=10),
    fact_id=st.text(max_size=12),
    kind=st.text(max_size=12),
    at=st.text(max_size=32),
    seq=st.integers(1, 10**9),
    actor=st.none() | st.integers(1, 10**6),
)
def test_v2_hash_is_the_canonical_text_of_the_whole_entry(
    payload: dict[str, object], project: str, fact_id: str, kind: str, at: str, seq: int, actor: int | None
) -> None:
    """Chain format v2 (issue 12): the spelled-out text is exactly the canonical JSON of every
    stored column, whatever characters the ids and times hold."""
    prev = "ab" * 32
    digest = entry_hash_v2(
        prev,
        project=project,
        seq=seq,
        fact_id=fact_id,
        kind=kind,
        at=at,
        actor=actor,
        fact_text=canonical_text(payload),
    )
    entry = {
        "v": 2,
        "project": project,
        "seq": seq,
        "id": fact_id,
        "kind": kind,
        "at": at,
        "actor": actor,
        "prev": prev,
        "fact": payload,
    }
    assert digest == hashlib.sha256(canonical_text(entry).encode("utf-8")).hexdigest()


@given(
    payload=payloads,
    project=st.text(min_size=1, max_size=10),
    fact_id=st.text(max_size=12),
    kind=st.text(max_size=12),
    at=st.datetimes(timezones=st.just(UTC)),
    seq=st.integers(1, 10**9),
    actor=st.none() | st.integers(1, 10**6),
    prev=st.binary(min_size=32, max_size=32),
)
def test_the_verifiers_hasher_is_the_v2_hash(
    payload: dict[str, object],
    project: str,
    fact_id: str,
    kind: str,
    at: datetime,
    seq: int,
    actor: int | None,
    prev: bytes,
) -> None:
    """The verifier's per-project hasher (prev and time unescaped) gives exactly the v2 hash for
    what it is used with: a hex hash and a time in at_text's form."""
    text = canonical_text(payload)
    args = {"fact_id": fact_id, "kind": kind, "at": at_text(at), "actor": actor, "fact_text": text}
    expected = entry_hash_v2(prev.hex(), project=project, seq=seq, **args)  # type: ignore[arg-type]
    assert v2_hasher(project)(prev.hex(), seq, fact_id, kind, at_text(at), actor, text) == expected
