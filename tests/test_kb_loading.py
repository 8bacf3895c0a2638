"""Loading, validating and querying the actor KB (own fixture KB plus the shipped one)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dyadlens.errors import DataFileError
from dyadlens.kb.knowledge_base import load_kb

MINI = Path(__file__).resolve().parent / "fixtures" / "kb" / "mini"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def mini_kb():
    return load_kb(data_dir=MINI)


def test_shipped_kb_loads_without_errors() -> None:
    kb = load_kb()
    assert len(kb) > 100
    assert kb.get("russia") is not None and kb.ref("russia").name == "Russia"


def test_shipped_kb_uses_the_canonical_names_of_the_scoring_table(shared_dir: Path) -> None:
    kb = load_kb()
    names = set(kb.canonical_names().values())
    with (shared_dir / "eval" / "actors.tsv").open(encoding="utf-8") as table:
        canonical = [row["name"] for row in csv.DictReader(table, delimiter="\t")]
    assert [n for n in canonical if n not in names] == []


def test_lookup_applies_the_case_rules(mini_kb) -> None:
    assert [e.id for e in mini_kb.lookup("US")] == ["united-states"]
    assert mini_kb.lookup("us") == []
    assert [e.id for e in mini_kb.lookup("RUSSIA")] == ["russia"]
    assert mini_kb.lookup("russia") == []
    assert [e.id for e in mini_kb.lookup("The Kremlin")] == ["russia"]
    assert mini_kb.lookup("the kremlin") == []
    assert [e.id for e in mini_kb.lookup("Kabul")] == ["afghanistan"]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2018-05-02", "ruritania"),
        ("2019", "ruritania"),
        ("2021-03", "league-of-ports"),
        (None, "league-of-ports"),
        ("2010", None),
    ],
)
def test_acting_for_follows_the_office_held_on_the_date(mini_kb, date, expected) -> None:
    assert mini_kb.acting_for("marta-velez", date) == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2021-08-14", "afghan-republic"),
        ("2021-08-16", "taliban"),
        ("2021-08", "taliban"),
        ("2010", "afghan-republic"),
        ("1990", "afghanistan"),
    ],
)
def test_government_of_changes_on_15_august_2021(mini_kb, date, expected) -> None:
    assert mini_kb.government_of("afghanistan", date) == expected


def test_government_of_a_country_without_listed_governments_is_the_state(mini_kb) -> None:
    assert mini_kb.government_of("russia", "2024-01-01") == "russia"


def test_duplicate_id_is_fatal_and_names_file_and_entry(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "- {id: zed, name: Zed, type: state}\n")
    write(tmp_path, "b.yaml", "- {id: zed, name: Zed Two, type: state}\n")
    with pytest.raises(DataFileError) as caught:
        load_kb(data_dir=tmp_path)
    assert "b.yaml" in str(caught.value) and "'zed'" in str(caught.value) and "duplicate id" in str(caught.value)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('{id: zed, name: Zed, type: state, valid: [{from: "2021-13-01"}]}', "not an ISO date prefix"),
        ('{id: zed, name: Zed, type: state, valid: [{from: "2022", until: "2020"}]}', "is after"),
        ("{id: zed, name: Zed, type: state, part_of: [nowhere]}", "unknown id 'nowhere'"),
        ("{id: zed, name: Zed, type: planet}", "unknown type 'planet'"),
        ("{id: Zed Land, name: Zed, type: state}", "lower-case slug"),
        ("{id: zed, type: state}", "'name' is required"),
        (
            "{id: ann, name: Ann, type: person, roles: [{actor: ghost, from: '2020'}]}",
            "roles.actor refers to unknown id 'ghost'",
        ),
    ],
)
def test_validation_errors_name_the_entry(tmp_path: Path, entry: str, problem: str) -> None:
    write(tmp_path, "bad.yaml", f"- {entry}\n")
    with pytest.raises(DataFileError) as caught:
        load_kb(data_dir=tmp_path)
    assert problem in str(caught.value)
    assert caught.value.path.endswith("bad.yaml")


def test_malformed_yaml_is_reported_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "- id: [unclosed\n")
    with pytest.raises(DataFileError) as caught:
        load_kb(extra_files=[path], data_dir=MINI)
    assert caught.value.path == str(path) and "not valid YAML" in str(caught.value)


def test_shared_aliases_are_reported_not_fatal(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        "- {id: georgia, name: Georgia, type: state}\n"
        "- {id: georgia-us, name: Georgia State, type: region_group, aliases: [Georgia]}\n",
    )
    kb = load_kb(data_dir=tmp_path)
    assert [(c.alias, c.ids) for c in kb.collisions] == [("Georgia", ("georgia", "georgia-us"))]


def test_unknown_fields_are_warnings(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "- {id: zed, name: Zed, type: state, colour: blue}\n")
    kb = load_kb(data_dir=tmp_path)
    assert len(kb) == 1 and "unknown field 'colour'" in kb.warnings[0]


def test_user_file_overrides_an_entry_by_id(tmp_path: Path) -> None:
    user = write(
        tmp_path,
        "mine.yaml",
        "- {id: qatar, name: State of Qatar, type: state, aliases: [Qatari state]}\n"
        "- {id: atlantis, name: Atlantis, type: state}\n",
    )
    kb = load_kb(extra_files=[user], data_dir=MINI)
    qatar = kb.get("qatar")
    assert qatar is not None and qatar.name == "State of Qatar"
    assert qatar.capital is None  # replaced, not merged
    assert kb.get("atlantis") is not None
    assert [e.id for e in kb.lookup("Qatari state")] == ["qatar"]


def test_user_file_can_extend_an_entry(tmp_path: Path) -> None:
    user = write(tmp_path, "mine.yaml", "- {id: qatar, extend: true, aliases: [Katar]}\n")
    kb = load_kb(extra_files=[user], data_dir=MINI)
    qatar = kb.get("qatar")
    assert qatar is not None and qatar.capital == "Doha"
    assert [e.id for e in kb.lookup("Katar")] == ["qatar"]


def test_extending_an_unknown_id_is_an_error(tmp_path: Path) -> None:
    user = write(tmp_path, "mine.yaml", "- {id: nowhere, extend: true, aliases: [Nowhere Land]}\n")
    with pytest.raises(DataFileError, match="no entry has this id"):
        load_kb(extra_files=[user], data_dir=MINI)


def test_former_actor_is_the_last_office_left_before_the_date(mini_kb) -> None:
    assert mini_kb.former_actor("ilse-norden", "2022") == "pakistan"
    assert mini_kb.former_actor("ilse-norden", "2015") is None
    assert mini_kb.former_actor("tomas-arle", "2022") is None
