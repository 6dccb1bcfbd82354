"""The YAML writer: whatever it writes, the strict reader reads back as the same data."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from finelog import strictyaml, yamlwriter

KEYS = st.from_regex(r"\A[a-z][a-z_]{0,11}\Z")
SCALARS = st.one_of(
    st.text(),
    st.none(),
    st.booleans(),
    st.sampled_from(["null", "true", "~", "NO", "1e6", "- x", "a: b", "#c", " x", "x ", "é", "a  b"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=12,
)


def read_back(data: Any) -> Any:
    """The data read back; the reader refuses only what no record may hold: control and bidi characters."""
    document = strictyaml.read(yamlwriter.dump(data))
    assert all("which can change what a terminal shows" in issue.message for issue in document.issues)
    return document.data


@settings(max_examples=200)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=6))
def test_what_is_written_reads_back_identically(data: dict[str, Any]) -> None:
    assert read_back(data) == data


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1))
@example("0\n")  # a code-like item with a line break once lost it in a flow list
def test_any_text_reads_back_identically(text: str) -> None:
    assert read_back({"summary": text, "notes": [text]}) == {"summary": text, "notes": [text]}


def test_plain_where_safe_quoted_where_not() -> None:
    text = yamlwriter.dump(
        {
            "id": "no-datatilsynet-2021-grindr",
            "country": "NO",
            "flag": "true",
            "amount": "1e6",
            "name": "Acme: the #1",
            "empty": "",
            "list": ["legal_basis", "security"],
            "nothing": [],
        }
    )
    assert text == (
        "id: no-datatilsynet-2021-grindr\n"
        "country: NO\n"
        'flag: "true"\n'
        "amount: 1e6\n"
        'name: "Acme: the #1"\n'
        'empty: ""\n'
        "list: [legal_basis, security]\n"
        "nothing: []\n"
    )


def test_long_prose_is_folded_and_reads_back_as_one_line() -> None:
    prose = " ".join(["word"] * 60) + "."
    text = yamlwriter.dump({"summary": prose})
    assert text.startswith("summary: >-\n  word word")
    assert all(len(line) <= yamlwriter.WIDTH for line in text.splitlines())
    assert read_back({"summary": prose}) == {"summary": prose}


def test_a_list_of_mappings_starts_each_on_its_dash() -> None:
    data = {"sources": [{"url": "https://example.org/a?b=c#d", "kind": "tracker"}]}
    assert yamlwriter.dump(data) == "sources:\n  - url: https://example.org/a?b=c#d\n    kind: tracker\n"
    assert read_back(data) == data


@given(st.characters(codec="utf-8"))
def test_the_fast_printable_check_agrees_with_the_definition(character: str) -> None:
    assert (yamlwriter._UNPRINTABLE.search(character) is None) == yamlwriter._printable(character)
