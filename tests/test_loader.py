from __future__ import annotations

import itertools
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE_RECORD, record, write_record
from finelog import check, dataset, validation
from finelog.entry import display_path

TODAY = date(2026, 11, 23)

VALID = """\
id: {id}
regulator: FR-CNIL
decision_date: 2022-10-17
entity:
  name: Acme SAS
  role: controller
sector: industry_commerce
kind: fine
amount: 1000000
currency: EUR
articles:
  - Art. 6(1) GDPR
violation_types: [legal_basis]
summary: A test decision.
sources:
  - url: https://www.cnil.fr/en/example
    kind: authority
"""


CURRENCY = "a currency is a three-letter ISO 4217 code in capitals, such as EUR, GBP or NOK"


def problems_of(tmp_path: Path, text: str, name: str = "fr-cnil-2022-acme") -> list[str]:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    result = validation.load([path], today=TODAY)
    return [str(p).replace(str(tmp_path) + "/", "") for p in result.problems]


def test_a_valid_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "fr-cnil-2022-acme.yaml"
    path.write_text(VALID.format(id="fr-cnil-2022-acme"))
    result = validation.load([path], today=TODAY)
    assert (result.problems, [d.id for d in result.decisions]) == ([], ["fr-cnil-2022-acme"])


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  role: controller",
            "  role: boss",
            "fr-cnil-2022-acme.yaml:6:9: entity.role: Input should be 'controller', 'processor', 'joint_controller' or 'unknown'",
        ),
        (
            "regulator: FR-CNIL",
            "regulator: Atlantis DPA",
            "fr-cnil-2022-acme.yaml:2:12: regulator: unknown regulator 'Atlantis DPA' (see `finelog regulators`)",
        ),
        (
            "kind: fine",
            "kind: fine\nkidn: fine",
            "fr-cnil-2022-acme.yaml:9:1: kidn: unknown key 'kidn' (did you mean 'kind'?)",
        ),
        (
            "  name: Acme SAS",
            "  name: Acme SAS\n  grup: Acme",
            "fr-cnil-2022-acme.yaml:6:3: entity.grup: unknown key 'grup' (did you mean 'group'?)",
        ),
        (
            "summary: A test decision.\n",
            "",
            "fr-cnil-2022-acme.yaml:1:1: summary: required key is missing",
        ),
        (
            "decision_date: 2022-10-17",
            "decision_date: 2023-02-30",
            "fr-cnil-2022-acme.yaml:3:16: decision_date: no such date: '2023-02-30'",
        ),
        (
            "decision_date: 2022-10-17",
            "decision_date: 2030-01-01",
            "fr-cnil-2022-acme.yaml:3:16: decision_date: 2030-01-01 is in the future",
        ),
        (
            "amount: 1000000",
            "amount: -1_000",
            "fr-cnil-2022-acme.yaml:9:9: amount: an amount cannot be negative",
        ),
        (
            "amount: 1000000",
            "amount: 1e6",
            "fr-cnil-2022-acme.yaml:9:9: amount: write the amount in plain digits, e.g. 1000000 or 1_000_000 (got '1e6')",
        ),
        (
            "amount: 1000000",
            "amount: true",
            "fr-cnil-2022-acme.yaml:9:9: amount: an amount is written in digits, e.g. 1000000",
        ),
        (
            "  - Art. 6(1) GDPR",
            "  - Art. 6(1)",
            "fr-cnil-2022-acme.yaml:12:5: articles[0]: no law named in 'Art. 6(1)' (add GDPR, UK-GDPR, ...)",
        ),
        (
            "violation_types: [legal_basis]",
            "violation_types: [legal_basis, hacking]",
            "fr-cnil-2022-acme.yaml:13:32: violation_types[1]: Input should be 'legal_basis', 'principles', 'security', 'data_subject_rights', 'information', 'cooperation', 'breach_notification', 'dpo_involvement', 'processing_agreement', 'dpo_appointment' or 'unknown'",
        ),
        (
            "currency: EUR",
            "currency: EUR\nid: other",
            "fr-cnil-2022-acme.yaml:11:1: id: duplicate key 'id'",
        ),
        (
            "    kind: authority",
            "    kind: blog",
            "fr-cnil-2022-acme.yaml:17:11: sources[0].kind: Input should be 'authority', 'court', 'company', 'press' or 'tracker'",
        ),
        (
            "id: fr-cnil-2022-acme",
            "id: fr-cnil-2022-other",
            "fr-cnil-2022-acme.yaml:1:5: id: 'fr-cnil-2022-other' differs from the file name 'fr-cnil-2022-acme'",
        ),
        (
            "id: fr-cnil-2022-acme",
            "id: Fr_CNIL",
            "fr-cnil-2022-acme.yaml:1:5: id: ids are lower-case words joined by hyphens, e.g. fr-cnil-2022-clearview-ai",
        ),
        ("currency: EUR", "currency: eur", "fr-cnil-2022-acme.yaml:10:11: currency: " + CURRENCY),
        ("currency: EUR", "currency: €", "fr-cnil-2022-acme.yaml:10:11: currency: " + CURRENCY),
        (
            "url: https://www.cnil.fr/en/example",
            "url: www.cnil.fr/en/example",
            "fr-cnil-2022-acme.yaml:16:10: sources[0].url: a URL starts with https:// (or http://) and holds no spaces, "
            "e.g. https://www.cnil.fr/en/...",
        ),
        (
            "violation_types: [legal_basis]",
            "violation_types: legal_basis, security",
            "fr-cnil-2022-acme.yaml:13:18: violation_types: write a list: [a, b] on the key's line, or one '- item' per line below it",
        ),
        (
            "violation_types: [legal_basis]",
            "violation_types: []",
            "fr-cnil-2022-acme.yaml:13:18: violation_types: give at least one violation type: [unknown] when none is known",
        ),
        (
            "summary: A test decision.",
            "summary: A test decision.\nreferences:\n  etid: 1448",
            "fr-cnil-2022-acme.yaml:16:9: references.etid: a CMS Enforcement Tracker id is ETid- and its number, e.g. ETid-1448",
        ),
        (
            "summary: A test decision.",
            "summary: A test decision.\nreferences:\n  privacyaffairs: pa-202",
            "fr-cnil-2022-acme.yaml:16:19: references.privacyaffairs: a PrivacyAffairs id is the tracker's row number, in digits, e.g. 202",
        ),
        (
            "summary: A test decision.",
            "summary: A test decision.\nlinks:\n  enforces: FR-CNIL-2021-acme",
            "fr-cnil-2022-acme.yaml:16:13: links.enforces: ids are lower-case words joined by hyphens, e.g. fr-cnil-2022-clearview-ai",
        ),
        (
            "entity:\n  name: Acme SAS\n  role: controller",
            "entity: Acme SAS",
            "fr-cnil-2022-acme.yaml:4:9: entity: write its keys on the lines below it, indented: name, description, group, role, controller",
        ),
        (
            "summary: A test decision.",
            "summary:",
            "fr-cnil-2022-acme.yaml:14:9: summary: this key has no value: write one after it",
        ),
        (
            "summary: A test decision.",
            "summary: A test decision.\ncase_number: ''",
            "fr-cnil-2022-acme.yaml:15:14: case_number: the text is empty: write it, or leave the key out where it is optional",
        ),
        (
            "  name: Acme SAS",
            "  name: true",
            "fr-cnil-2022-acme.yaml:5:9: entity.name: true and false are yes and no in YAML: put text in quotes, e.g. 'true'",
        ),
        (
            "kind: fine",
            "kind: [fine]",
            "fr-cnil-2022-acme.yaml:8:7: kind: Input should be 'fine', 'penalty_payment', 'reprimand' or 'order'",
        ),
        (
            "  name: Acme SAS",
            "\tname: Acme SAS",
            "fr-cnil-2022-acme.yaml:5:1: yaml: a tab: YAML indents with spaces; replace the tab with spaces",
        ),
        (
            "sources:\n  - url: https://www.cnil.fr/en/example\n    kind: authority",
            "sources:\n  - url: https://www.cnil.fr/en/example\n    title: CNIL: press release\n    kind: authority",
            "fr-cnil-2022-acme.yaml:17:16: yaml: the value of 'title' holds ': ', which YAML reads as a key: "
            'put the whole value in double quotes, e.g. title: "CNIL: press release"',
        ),
        (
            "  role: controller",
            "   role: controller",
            "fr-cnil-2022-acme.yaml:6:4: yaml: 'role' is indented more than the line above, so YAML reads it as part of that line's value: "
            "the keys of one mapping line up, with the same number of spaces before each",
        ),
        (
            "amount: 1000000",
            "amount:1000000",
            "fr-cnil-2022-acme.yaml:9:7: yaml: a key needs ': ' (colon and space): write 'amount: 1000000'",
        ),
        (
            "summary: A test decision.",
            "summary: A test decision.\naffected: true",
            "fr-cnil-2022-acme.yaml:15:11: affected: a count is a whole number written in digits, not true",
        ),
        (
            "  name: Acme SAS",
            '  name: "Acme\\e[31m SAS"',
            "fr-cnil-2022-acme.yaml:5:9: entity.name: the text holds control character U+001B, which can change what a terminal shows: "
            "remove it",
        ),
    ],
)
def test_each_kind_of_mistake_gives_one_exact_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    text = VALID.format(id="fr-cnil-2022-acme")
    assert old in text
    assert problems_of(tmp_path, text.replace(old, new, 1)) == [expected]


def test_every_problem_in_a_file_is_reported(tmp_path: Path) -> None:
    text = (
        VALID.format(id="fr-cnil-2022-acme")
        .replace("role: controller", "role: boss")
        .replace("kind: fine", "kind: fined")
    )
    assert len(problems_of(tmp_path, text)) == 2


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "kind: fine",
            "kind: !!str fine",
            "fr-cnil-2022-acme.yaml:8:7: kind: YAML tags are not allowed: remove !!str",
        ),
        (
            "sector: industry_commerce",
            "sector: &s industry_commerce",
            "fr-cnil-2022-acme.yaml:7:9: sector: anchors are not allowed: remove &s",
        ),
        (
            "summary: A test decision.",
            "summary: &s A test decision.\nnotes: *s",
            "fr-cnil-2022-acme.yaml:15:8: notes: aliases and anchors are not allowed: "
            "*s repeats the value anchored (&s) at 14:10; write each value out",
        ),
    ],
)
def test_tags_anchors_and_aliases_are_one_line_each_where_they_are(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    text = VALID.format(id="fr-cnil-2022-acme")
    assert old in text
    assert problems_of(tmp_path, text.replace(old, new, 1)) == [expected]


def test_a_billion_laughs_file_is_one_line(tmp_path: Path) -> None:
    names = "abcdefgh"
    lines = ["a: &a [lol, lol, lol]"] + [
        f"{b}: &{b} [*{a}, *{a}, *{a}]" for a, b in itertools.pairwise(names)
    ]
    assert problems_of(tmp_path, "\n".join(lines) + "\n") == [
        "fr-cnil-2022-acme.yaml:2:8: b[0]: aliases and anchors are not allowed: "
        "*a repeats the value anchored (&a) at 1:4; write each value out (20 more aliases in this file)"
    ]


def test_rules_across_fields_run_in_the_same_round_as_field_errors(tmp_path: Path) -> None:
    text = (
        VALID.format(id="uk-ico-2029-acme")
        .replace("regulator: FR-CNIL", "regulator: UK-ICO")
        .replace("decision_date: 2022-10-17", "decision_date: 2029-01-01")
        .replace("currency: EUR", "currency: XYZ\naffected: lots")
        .replace("Art. 6(1) GDPR", "Art. 500 GDPR")
        .replace(
            "summary: A test decision.", "summary: A test decision.\nevents:\n  - {date: 2023-03, kind: paid}"
        )
    )
    assert problems_of(tmp_path, text, name="uk-ico-2029-acme") == [
        "uk-ico-2029-acme.yaml:3:16: decision_date: 2029-01-01 is in the future",
        "uk-ico-2029-acme.yaml:10:11: currency: the ECB publishes no reference rate for XYZ; "
        "state amount_eur from the authority's decision",
        "uk-ico-2029-acme.yaml:11:11: affected: write a whole number in digits, e.g. 46000000 or 46_000_000",
        "uk-ico-2029-acme.yaml:13:5: articles[0]: the GDPR has articles 1 to 99, not '500'",
    ]


def test_an_id_that_differs_from_the_file_name_is_reported_beside_field_errors(tmp_path: Path) -> None:
    text = VALID.format(id="fr-cnil-2022-other").replace("role: controller", "role: boss")
    assert [line.split(": ")[1] for line in problems_of(tmp_path, text)] == ["id", "entity.role"]


def test_yaml_syntax_errors_use_the_same_form(tmp_path: Path) -> None:
    lines = problems_of(tmp_path, "id: x\nentity: [unclosed\nsector: x\n")
    assert len(lines) == 1
    assert lines[0].startswith("fr-cnil-2022-acme.yaml:3:")
    assert ": yaml: " in lines[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"",
            "fr-cnil-2022-acme.yaml:1:1: (record): expected a mapping of keys, found an empty file",
        ),
        (
            b"- a\n- b\n",
            "fr-cnil-2022-acme.yaml:1:1: (record): expected a mapping of keys, found a list",
        ),
        (b"id: caf\xe9\n", "fr-cnil-2022-acme.yaml:1:8: yaml: not valid UTF-8 text"),
    ],
)
def test_files_that_are_not_records(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "fr-cnil-2022-acme.yaml"
    path.write_bytes(content)
    assert [
        str(p).replace(str(tmp_path) + "/", "") for p in validation.load([path], today=TODAY).problems
    ] == [expected]


def test_a_missing_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    result = validation.load([tmp_path / "nope.yaml"], today=TODAY)
    assert [(p.field, p.message) for p in result.problems] == [("file", "no such file or directory")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_path_that_is_neither_file_nor_folder_says_so(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    result = validation.load([pipe], today=TODAY)
    assert [(p.field, p.message) for p in result.problems] == [("file", "not a regular file or folder")]


def messages(result: validation.LoadResult) -> list[tuple[str, str]]:
    return [(Path(p.path).name, p.message) for p in result.problems]


def read_both_ways(folder: Path) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """The ids and problems of a folder, as `validate` reads it and as `list` does (through the cache)."""
    loaded = validation.load([folder], today=TODAY)
    listed = dataset.load(folder, today=TODAY)
    return [
        ([d.id for d in loaded.decisions], messages(loaded)),
        ([e.id for e in listed.entries], [(Path(p.path).name, p.message) for p in listed.problems]),
    ]


def test_a_link_back_up_the_tree_is_not_followed_round_and_round(tmp_path: Path) -> None:
    write_record(tmp_path, record())
    (tmp_path / "loop").symlink_to(f"../{tmp_path.name}")
    (tmp_path / "itself").symlink_to(".")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")
    assert read_both_ways(tmp_path) == [(["fr-cnil-2022-acme"], [])] * 2


def test_a_folder_reached_by_a_link_and_by_its_name_is_read_once_as_itself(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    write_record(tmp_path / "real", record())
    (tmp_path / "a-link").symlink_to("real")
    assert [file for file, _ in dataset.scan(tmp_path).files] == ["real/fr-cnil-2022-acme.yaml"]


def test_links_that_loop_or_lead_nowhere_are_named_and_the_rest_still_read(tmp_path: Path) -> None:
    write_record(tmp_path, record())
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    (tmp_path / "gone.yaml").symlink_to("nowhere.yaml")
    loop, broken = (
        "symlink loop: too many levels of symbolic links",
        "broken symlink: its target does not exist",
    )
    expected = (["fr-cnil-2022-acme"], [("a.yaml", loop), ("b.yaml", loop), ("gone.yaml", broken)])
    assert read_both_ways(tmp_path) == [expected] * 2
    assert messages(validation.load([tmp_path / "a.yaml"], today=TODAY)) == [("a.yaml", loop)]


def refuse_to_open(monkeypatch: pytest.MonkeyPatch, refused: Path) -> None:
    """Make one folder unreadable, as permissions would for anyone but root."""
    real_open, real_scandir = os.open, os.scandir

    def refuse(path: str | int) -> None:
        if not isinstance(path, int) and os.fspath(path) == os.fspath(refused):
            raise PermissionError(13, "Permission denied", os.fspath(refused))

    def guarded_open(path: str, *args: int, **kwargs: int) -> int:
        refuse(path)
        return real_open(path, *args, **kwargs)

    def guarded_scandir(path: str | int = ".") -> object:
        refuse(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "scandir", guarded_scandir)


def test_a_folder_that_cannot_be_opened_is_named_and_the_rest_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_record(tmp_path, record())
    (tmp_path / "locked").mkdir()
    write_record(tmp_path / "locked", record(id="fr-cnil-2022-other"))
    refuse_to_open(monkeypatch, tmp_path / "locked")
    assert read_both_ways(tmp_path) == [(["fr-cnil-2022-acme"], [("locked", "permission denied")])] * 2
    assert messages(validation.load([tmp_path / "locked"], today=TODAY)) == [("locked", "permission denied")]


def test_a_duplicate_id_in_another_folder_is_reported_once(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        write_record(tmp_path / folder, record())
    result = validation.load([tmp_path], today=TODAY)
    first = display_path(tmp_path / "a" / "fr-cnil-2022-acme.yaml")
    expected = [("fr-cnil-2022-acme.yaml", f"duplicate id: 'fr-cnil-2022-acme' is also in {first}")]
    assert messages(result) == expected
    assert [d.id for d in result.decisions] == ["fr-cnil-2022-acme"]
    for _ in ("parsed", "cached"):
        assert [(Path(p.path).name, p.message) for p in dataset.load(tmp_path).problems] == expected


def penalty_and_fine(folder: Path) -> Path:
    """A fine and the penalty payment that enforces it, in one folder: the penalty's path."""
    write_record(folder, record())
    return write_record(
        folder,
        record(id="fr-cnil-2023-acme", kind="penalty_payment", links={"enforces": "fr-cnil-2022-acme"}),
    )


def test_one_file_of_a_data_set_links_to_the_records_beside_it(tmp_path: Path) -> None:
    penalty = penalty_and_fine(tmp_path)
    assert validation.load([penalty], today=TODAY).problems == []
    (tmp_path / "fr-cnil-2022-acme.yaml").unlink()
    assert messages(validation.load([penalty], today=TODAY)) == [
        ("fr-cnil-2023-acme.yaml", "links to 'fr-cnil-2022-acme', which is not in the data set")
    ]


def test_a_file_validated_as_part_of_another_data_set_is_checked_against_it(tmp_path: Path) -> None:
    (tmp_path / "set").mkdir()
    (tmp_path / "new").mkdir()
    penalty_and_fine(tmp_path / "set")
    draft = write_record(
        tmp_path / "new", record(id="fr-cnil-2024-acme", amount="9", links={"replaces": "fr-cnil-2022-acme"})
    )
    assert messages(validation.load([draft], today=TODAY)) == [
        ("fr-cnil-2024-acme.yaml", "links to 'fr-cnil-2022-acme', which is not in the data set")
    ]
    twin = write_record(tmp_path / "new", record(amount="7"))
    other = display_path(tmp_path / "set" / "fr-cnil-2022-acme.yaml")
    assert messages(validation.load([draft, twin], today=TODAY, data=tmp_path / "set")) == [
        ("fr-cnil-2022-acme.yaml", f"duplicate id: 'fr-cnil-2022-acme' is also in {other}")
    ]


def test_a_file_named_twice_or_inside_a_folder_also_named_is_read_once(tmp_path: Path) -> None:
    path = write_record(tmp_path, record())
    result = validation.load([path, path, tmp_path, tmp_path / ".." / tmp_path.name], today=TODAY)
    assert (result.files, [d.id for d in result.decisions], result.problems) == (1, ["fr-cnil-2022-acme"], [])


def test_the_same_decision_under_two_ids_is_reported(tmp_path: Path) -> None:
    write_record(tmp_path, record())
    write_record(
        tmp_path,
        record(id="fr-cnil-2022-acme-sas", entity={"name": "ACME sas ", "role": "controller"}),
    )
    result = validation.load([tmp_path], today=TODAY)
    first = display_path(tmp_path / "fr-cnil-2022-acme-sas.yaml")
    assert messages(result) == [
        (
            "fr-cnil-2022-acme.yaml",
            f"the same decision as fr-cnil-2022-acme-sas ({first}); "
            "give each its case number if they are separate decisions",
        )
    ]


OTHER_SOURCE = [{"url": "https://www.cnil.fr/en/other", "kind": "authority"}]


@pytest.mark.parametrize(
    ("first", "second", "refused"),
    [
        ({"case_number": "PS/00270/2019"}, {"case_number": "PS/00278/2019"}, False),
        ({"case_number": "PS/00270/2019"}, {"case_number": " ps / 00270/2019"}, True),
        ({"case_number": "PS/00270/2019"}, {}, True),
        ({"references": {"etid": "ETid-1"}}, {"references": {"etid": "ETid-2"}}, False),
        ({"references": {"privacyaffairs": "202"}}, {"references": {"privacyaffairs": "206"}}, False),
        ({}, {"sources": OTHER_SOURCE}, False),
        ({}, {"sources": [{"url": "http://WWW.CNIL.FR/en/example/", "kind": "authority"}]}, True),
        ({}, {"sources": [{"url": "https://example.org/news", "kind": "press"}]}, True),
        ({"sources": OTHER_SOURCE}, {"sources": [*OTHER_SOURCE, BASE_RECORD["sources"][0]]}, True),
    ],
)
def test_the_same_facts_are_one_decision_unless_something_tells_them_apart(
    tmp_path: Path, first: dict[str, object], second: dict[str, object], refused: bool
) -> None:
    write_record(tmp_path, record(**first))
    write_record(tmp_path, record(id="fr-cnil-2022-acme-2", **second))
    result = validation.load([tmp_path], today=TODAY)
    said = [p.message for p in result.problems]
    assert (said != [], all("the same decision as" in m for m in said)) == (refused, True)
    duplicates = [Path(f.path).name for f in check.check(result.loaded) if f.code == check.Code.DUPLICATE]
    assert refused or duplicates == ["fr-cnil-2022-acme-2.yaml"]


def test_a_link_to_a_missing_decision_is_reported(tmp_path: Path) -> None:
    write_record(
        tmp_path,
        record(id="fr-cnil-2023-acme", kind="penalty_payment", links={"enforces": "fr-cnil-2020-gone"}),
    )
    result = validation.load([tmp_path], today=TODAY)
    assert messages(result) == [
        ("fr-cnil-2023-acme.yaml", "links to 'fr-cnil-2020-gone', which is not in the data set")
    ]
    assert str(result.problems[0]).split(": ")[1] == "links.enforces"


@pytest.mark.parametrize(
    ("key", "tracker_id", "said"),
    [
        ("etid", "ETid-23", "ETid-23 is also the tracker id"),
        ("privacyaffairs", "202", "202 is also the PrivacyAffairs id"),
    ],
)
def test_the_same_tracker_id_twice_is_a_problem(tmp_path: Path, key: str, tracker_id: str, said: str) -> None:
    write_record(tmp_path, record(references={key: tracker_id}))
    write_record(
        tmp_path,
        record(
            id="fr-cnil-2022-other",
            entity={"name": "Other", "role": "controller"},
            references={key: tracker_id},
        ),
    )
    result = validation.load([tmp_path], today=TODAY)
    assert [(p.field, p.message) for p in result.problems] == [
        (f"references.{key}", f"{said} of fr-cnil-2022-acme")
    ]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_the_loader_never_raises_whatever_the_bytes(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "fr-cnil-2022-acme.yaml"
    path.write_bytes(raw)
    result = validation.load([path], today=TODAY)
    assert result.problems or result.decisions


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(VALID.splitlines()), st.text(max_size=30))
def test_a_mangled_valid_file_is_either_valid_or_reported(tmp_path: Path, line: str, junk: str) -> None:
    text = VALID.format(id="fr-cnil-2022-acme").replace(line, line + junk, 1)
    path = tmp_path / "fr-cnil-2022-acme.yaml"
    path.write_text(text, encoding="utf-8")
    result = validation.load([path], today=TODAY)
    assert bool(result.problems) != bool(result.decisions)
    assert all(p.line >= 1 and p.column >= 1 for p in result.problems)


def test_yaml_files_are_found_whatever_the_case_of_their_extension(tmp_path: Path) -> None:
    write_record(tmp_path, record(id="fr-cnil-2022-upper"), name="fr-cnil-2022-upper").rename(
        tmp_path / "fr-cnil-2022-upper.YAML"
    )
    write_record(tmp_path, record(id="fr-cnil-2022-mixed", amount="5"), name="fr-cnil-2022-mixed").rename(
        tmp_path / "fr-cnil-2022-mixed.Yml"
    )
    expected: tuple[list[str], list[tuple[str, str]]] = (["fr-cnil-2022-mixed", "fr-cnil-2022-upper"], [])
    assert read_both_ways(tmp_path) == [expected, expected]


def saved_as_text_message(intended: str) -> str:
    return (
        "the name ends in .txt, so finelog leaves it out of a folder's records (an editor added "
        f"the .txt, which Windows may hide): rename it to {intended}"
    )


def test_a_record_saved_as_yaml_txt_is_named_in_its_folder_never_silently_skipped(tmp_path: Path) -> None:
    write_record(tmp_path, record())
    write_record(tmp_path, record(id="fr-cnil-2023-acme")).rename(tmp_path / "fr-cnil-2023-acme.yaml.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "other.YML.TXT").write_text("id: other\n")
    for not_a_record in ("notes.txt", "fr-cnil-2022-acme.yaml.bak", "fr-cnil-2022-acme.yaml~"):
        (tmp_path / not_a_record).write_text("id: x\n")
    expected = (
        ["fr-cnil-2022-acme"],
        [
            ("fr-cnil-2023-acme.yaml.txt", saved_as_text_message("fr-cnil-2023-acme.yaml")),
            ("other.YML.TXT", saved_as_text_message("other.YML")),
        ],
    )
    assert read_both_ways(tmp_path) == [expected] * 2
    assert validation.load([tmp_path], today=TODAY).files == 3


def test_a_record_saved_as_yaml_txt_named_on_its_own_is_read_and_its_name_is_the_problem(
    tmp_path: Path,
) -> None:
    write_record(tmp_path, record()).rename(tmp_path / "fr-cnil-2022-acme.yaml.txt")
    result = validation.load([tmp_path / "fr-cnil-2022-acme.yaml.txt"], today=TODAY)
    assert messages(result) == [
        ("fr-cnil-2022-acme.yaml.txt", saved_as_text_message("fr-cnil-2022-acme.yaml"))
    ]
