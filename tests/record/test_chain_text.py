"""The chain's canonical form: the append hashes the text it stores, the verifier the parsed payload."""

from __future__ import annotations

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from guishu.record.chain import canonical_text, entry_hash, entry_hash_of_text

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
