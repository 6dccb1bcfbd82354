from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
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


def test_aliases_and_tags_are_refused() -> None:
    document = strictyaml.read("a: &x [1, 2]\nb: *x\nc: !!python/object:os.system 1\n")
    messages = [issue.message for issue in document.issues]
    assert messages[0] == "anchors and aliases are not allowed"
    assert "tags such as" in messages[1]


def test_a_billion_laughs_file_does_not_expand() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    document = strictyaml.read("\n".join(lines) + "\n")
    assert len(document.issues) == 55


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


def test_deep_nesting_is_refused() -> None:
    document = strictyaml.read("a: " + "[" * 40 + "]" * 40 + "\n")
    assert any("nested more than" in issue.message for issue in document.issues)


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
