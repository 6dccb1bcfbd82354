from __future__ import annotations

import contextlib
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from finelog import strictyaml
from finelog.strictyaml import Mark, YamlSyntaxError


def test_only_true_and_false_are_booleans_so_norway_stays_a_string() -> None:
    data = strictyaml.read("country: NO\nyes: yes\nflag: true\noff: false\n").data
    assert data == {"country": "NO", "yes": "yes", "flag": True, "off": False}


def test_numbers_and_dates_stay_text_for_the_fields_to_parse() -> None:
    data = strictyaml.read("amount: 1e6\nwhen: 2022-10-17\nexact: 0.10\n").data
    assert data == {"amount": "1e6", "when": "2022-10-17", "exact": "0.10"}


def test_null_forms_and_quoted_values() -> None:
    data = strictyaml.read("a:\nb: ~\nc: null\nd: 'null'\ne: \"true\"\n").data
    assert data == {"a": None, "b": None, "c": None, "d": "null", "e": "true"}


def test_positions_of_keys_and_values_are_kept() -> None:
    document = strictyaml.read("id: x\nentity:\n  name: Acme\n  role: boss\nlist:\n  - a\n  - b\n")
    assert document.mark_of(("entity", "role"), key=True) == Mark(4, 3)
    assert document.mark_of(("entity", "role")) == Mark(4, 9)
    assert document.mark_of(("list", 1)) == Mark(7, 5)
    assert document.mark_of(("entity", "missing")) == Mark(3, 3)


def test_duplicate_keys_are_reported_at_the_second_key() -> None:
    document = strictyaml.read("id: a\nname: x\nid: b\n")
    assert document.data == {"id": "a", "name": "x"}
    assert [(i.mark, i.message) for i in document.issues] == [(Mark(3, 1), "duplicate key 'id'")]


def test_an_alias_is_refused_at_the_alias_naming_where_its_anchor_is() -> None:
    document = strictyaml.read("currency: &c GBP\nid: x\ncase_number: *c\n")
    [issue] = document.issues
    assert (issue.mark, issue.loc) == (Mark(3, 14), ("case_number",))
    assert issue.message == (
        "aliases and anchors are not allowed: *c repeats the value anchored (&c) at 1:11; write each value out"
    )
    assert not document.whole


def test_an_anchor_no_alias_uses_is_refused_too() -> None:
    document = strictyaml.read("id: x\nsector: &s industry_commerce\nkind: &k fine\n")
    assert [(i.mark, i.loc, i.message) for i in document.issues] == [
        (Mark(2, 9), ("sector",), "anchors are not allowed: remove &s (1 more anchor in this file)")
    ]
    assert document.whole
    assert document.data == {"id": "x", "sector": "industry_commerce", "kind": "fine"}


@pytest.mark.parametrize("tag", ["!!str", "!!int", "!foo", "!", "!!python/object:os.system"])
def test_every_tag_is_refused_and_the_value_still_read_as_written(tag: str) -> None:
    document = strictyaml.read(f"id: x\nkind: {tag} fine\n")
    assert [(i.mark, i.loc, i.message) for i in document.issues] == [
        (Mark(2, 7), ("kind",), f"YAML tags are not allowed: remove {tag}")
    ]
    assert document.data == {"id": "x", "kind": "fine"}


def test_a_billion_laughs_file_is_one_problem_and_expands_nothing() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    document = strictyaml.read("\n".join(lines) + "\n")
    [issue] = document.issues
    assert (issue.mark, issue.loc) == (Mark(2, 10), ("a1", 0))
    assert issue.message.endswith("write each value out (54 more aliases in this file)")


def test_a_second_document_is_refused_where_it_starts() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        strictyaml.read("id: x\n---\nid: y\n")
    assert caught.value.mark == Mark(2, 1)


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
plain_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters=BIDI_CONTROLS),
    max_size=8,
)
plain_data = st.recursive(
    plain_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(plain_text, inner, max_size=3),
    max_leaves=12,
)


@given(plain_data)
def test_text_lists_and_mappings_read_back_as_dumped(data: object) -> None:
    document = strictyaml.read(yaml.safe_dump(data, allow_unicode=True))
    assert (document.data, document.issues) == (data, [])


def test_syntax_errors_carry_line_and_column() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        strictyaml.read("id: x\nentity: [unclosed\n")
    assert caught.value.mark.line >= 2


def test_an_unclosed_construct_is_located_where_it_began() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        strictyaml.read("id: x\nentity: [unclosed\nregulator: CNIL\n")
    assert caught.value.mark.line == 3
    assert "flow sequence started at 2:9," in caught.value.message


def test_bad_utf8_is_located() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        strictyaml.decode(b"id: x\nname: caf\xe9\n")
    assert caught.value.mark == Mark(2, 10)
    assert caught.value.message == "not valid UTF-8 text"


def test_a_byte_order_mark_is_accepted() -> None:
    assert strictyaml.read(strictyaml.decode("\ufeffid: x\n".encode())).data == {"id": "x"}


def test_oversized_files_are_refused() -> None:
    with pytest.raises(YamlSyntaxError, match="larger than"):
        strictyaml.decode(b"#" * (strictyaml.MAX_BYTES + 1))


NESTINGS = {  # how each kind of collection opens and closes, one level at a time
    "flow sequence": ("[", "]"),
    "flow mapping": ("{a: ", "}"),
    "block sequence": ("- ", ""),
}


def nested(style: str, depth: int) -> str:
    """A document of `depth` collections one inside another, around the scalar `x`."""
    if style == "indentation":
        return "".join(" " * level + "a:\n" for level in range(depth)) + " " * depth + "x\n"
    opening, closing = NESTINGS[style]
    return opening * depth + "x" + closing * depth + "\n"


def first_too_deep(style: str) -> Mark:
    """Where the first collection inside MAX_DEPTH others begins."""
    levels = strictyaml.MAX_DEPTH
    if style == "indentation":
        return Mark(levels + 1, levels + 1)
    return Mark(1, len(NESTINGS[style][0]) * levels + 1)


@example("flow sequence", strictyaml.MAX_DEPTH + 1)
@example("flow sequence", 1200)
@given(st.sampled_from([*NESTINGS, "indentation"]), st.integers(min_value=0, max_value=1500))
def test_nesting_deeper_than_the_limit_is_one_error_at_the_first_collection_too_deep(
    style: str, depth: int
) -> None:
    text = nested(style, depth)
    if depth <= strictyaml.MAX_DEPTH:
        assert strictyaml.read(text).issues == []
        return
    with pytest.raises(YamlSyntaxError) as caught:
        strictyaml.read(text)
    assert (caught.value.mark, caught.value.message) == (
        first_too_deep(style),
        "nested more than 32 levels deep",
    )


def test_nesting_that_overflowed_the_c_stack_is_refused_in_one_line(tmp_path: Path) -> None:
    for style in NESTINGS:
        (tmp_path / f"{style.replace(' ', '-')}.yaml").write_text(nested(style, 25_000))
    (tmp_path / "complex-key.yaml").write_text("? " * 25_000 + "x\n")
    (tmp_path / "indentation.yaml").write_text(nested("indentation", 1400))
    done = subprocess.run(
        [sys.executable, "-m", "finelog", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == len(NESTINGS) + 2
    assert all(line.endswith(": yaml: nested more than 32 levels deep") for line in lines)


@given(st.binary(max_size=300))
def test_any_bytes_give_data_or_a_syntax_error_never_anything_else(raw: bytes) -> None:
    with contextlib.suppress(YamlSyntaxError):
        strictyaml.read(strictyaml.decode(raw))


def test_libyaml_is_used_whenever_pyyaml_has_it() -> None:
    import yaml

    assert yaml.__with_libyaml__ == strictyaml.HAS_LIBYAML


def test_block_scalars_are_text() -> None:
    assert strictyaml.read("a: |\n  true\nb: >-\n  null\n").data == {"a": "true\n", "b": "null"}


def test_without_libyaml_a_warning_is_said_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(strictyaml, "HAS_LIBYAML", False)
    strictyaml.warn_if_slow.cache_clear()
    strictyaml.read("a: b\n")
    strictyaml.read("c: d\n")
    assert capsys.readouterr().err.count("no libyaml") == 1
    strictyaml.warn_if_slow.cache_clear()


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "id: x\nentity:\n\tname: a\n",
            Mark(3, 1),
            "a tab: YAML indents with spaces; replace the tab with spaces",
        ),
        (
            "id: x\narticles:\n  -\tArt. 5 GDPR\n",
            Mark(3, 4),
            "a tab: YAML indents with spaces; replace the tab with spaces",
        ),
        (
            "entity:\n  name: a\n\trole: b\n",
            Mark(3, 1),
            "a tab: YAML indents with spaces; replace the tab with spaces",
        ),
        (
            "id: x\ntitle: CNIL: press release\n",
            Mark(2, 12),
            "the value of 'title' holds ': ', which YAML reads as a key: "
            'put the whole value in double quotes, e.g. title: "CNIL: press release"',
        ),
        (
            'sources:\n  - url: https://x.eu\n    title: CNIL: a "quoted" word\n',
            Mark(3, 16),
            "the value of 'title' holds ': ', which YAML reads as a key: "
            'put the whole value in double quotes, e.g. title: "..."',
        ),
        (
            "id: x\nentity:\n  name: a\n   role: b\n",
            Mark(4, 4),
            "'role' is indented more than the line above, so YAML reads it as part of that line's value: "
            "the keys of one mapping line up, with the same number of spaces before each",
        ),
        (
            "entity:\n    name: a\n  role: b\n",
            Mark(3, 3),
            "'role' does not line up with the keys above it: "
            "the keys of one mapping line up, with the same number of spaces before each",
        ),
        (
            "id: x\namount:1000000\ncurrency: EUR\n",
            Mark(2, 7),
            "a key needs ': ' (colon and space): write 'amount: 1000000'",
        ),
        (
            "id: x\namount:1000000\n",
            Mark(2, 7),
            "a key needs ': ' (colon and space): write 'amount: 1000000'",
        ),
        (
            "entity:\n  name:Acme SAS\n  # the role\n  role: controller\n",
            Mark(2, 7),
            "a key needs ': ' (colon and space): write 'name: Acme SAS'",
        ),
        (
            "sources:\n  - url: https://x.eu\n    kind:authority\nid: x\n",
            Mark(3, 9),
            "a key needs ': ' (colon and space): write 'kind: authority'",
        ),
        (
            "summary: The CNIL fined\nthe company.\nkind: fine\n",
            Mark(2, 1),
            "a key needs ': ' (colon and space) after it; if this line goes on with the value above, indent it",
        ),
    ],
)
def test_common_syntax_mistakes_are_named_at_their_line_with_the_fix(
    text: str, where: Mark, message: str
) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        strictyaml.read(text)
    assert (caught.value.mark, caught.value.message) == (where, message)


def test_a_syntax_error_not_recognised_keeps_the_parser_s_words() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        strictyaml.read("id: x\n- a\n")
    assert caught.value.message == "while parsing a block mapping started at 1:1, did not find expected key"


def hidden(character: str) -> bool:
    """A character no value may hold: a control (but tab and newline), or a bidi override or isolate."""
    return (unicodedata.category(character) == "Cc" and character not in "\t\n") or character in BIDI_CONTROLS


any_character = st.characters(exclude_categories=["Cs"])
near_controls = st.characters(max_codepoint=0xA0) | st.characters(min_codepoint=0x2020, max_codepoint=0x2070)


@given(st.text(any_character | near_controls, max_size=12))
def test_a_value_is_refused_exactly_when_it_holds_a_control_or_bidi_character(text: str) -> None:
    escaped = "".join(f"\\U{ord(character):08X}" for character in text)
    document = strictyaml.read(f'name: "{escaped}"\n')
    assert document.data == {"name": text}
    first = next((character for character in text if hidden(character)), None)
    if first is None:
        assert document.issues == []
    else:
        [issue] = document.issues
        assert (issue.mark, issue.loc) == (Mark(1, 7), ("name",))
        assert f"U+{ord(first):04X}" in issue.message


def test_a_control_character_is_named_never_shown() -> None:
    document = strictyaml.read('entity:\n  name: "\\e[31mRed\\x07 \\u202eCo"\n')
    [issue] = document.issues
    assert (issue.mark, issue.loc, issue.message) == (
        Mark(2, 9),
        ("entity", "name"),
        "the text holds control character U+001B, which can change what a terminal shows: remove it",
    )


def test_a_key_with_a_bidi_control_is_refused_and_left_out() -> None:
    document = strictyaml.read('id: x\n"k\\u202ed": 1\n')
    assert document.data == {"id": "x"}
    assert [(i.mark, i.loc, i.message) for i in document.issues] == [
        (
            Mark(2, 1),
            (),
            "a key holds bidirectional control U+202E, which can change what a terminal shows: remove it",
        )
    ]
