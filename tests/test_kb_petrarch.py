"""Importing PETRARCH/TABARI .actors and .agents dictionaries into the KB."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.errors import DataFileError
from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.petrarch import detect_dictionary_kind, display_name, import_actors, import_agents, petrarch_date

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "kb"
MINI = FIXTURES / "mini"


def test_tiny_actors_dictionary_gives_entities_with_codes() -> None:
    kb = load_kb(extra_files=[FIXTURES / "tiny.actors"], data_dir=MINI)
    freedonia, league = kb.get("petrarch:freedonia"), kb.get("petrarch:border-league-of-marsh-towns")
    assert freedonia is not None and league is not None
    assert freedonia.name == "Freedonia" and freedonia.cameo == "FRD" and freedonia.type == "state"
    assert [e.id for e in kb.lookup("Freedonian")] == ["petrarch:freedonia"]
    assert league.type == "igo"


def test_date_restricted_codes_apply_by_date() -> None:
    values = {v["id"]: v for v in import_actors(FIXTURES / "tiny.actors")}
    assert values["petrarch:sylvania"]["cameo"] == "SYL"
    kb = load_kb(extra_files=[FIXTURES / "tiny.actors"], data_dir=MINI)
    sylvania, klopstokia = kb.get("petrarch:sylvania"), kb.get("petrarch:klopstokia")
    assert sylvania is not None and klopstokia is not None
    assert sylvania.cameo_on("1933-06") == "SYLGOV" and sylvania.cameo_on("1950") == "SYL"
    assert klopstokia.cameo_on("1939") == "KLP" and klopstokia.cameo_on("1941") == "KLPREB"
    assert klopstokia.cameo == "KLPREB"  # no unrestricted code: the latest


def test_shared_validation_dictionaries_import(shared_dir: Path) -> None:
    folder = shared_dir / "eval" / "petrarch" / "dictionaries"
    kb = load_kb(extra_files=[folder / "PETR.Validate.actors.txt", folder / "PETR.Validate.agents.txt"], data_dir=MINI)
    gollum, united_nations = kb.get("petrarch:gollum"), kb.get("petrarch:united-nations")
    assert gollum is not None and united_nations is not None
    assert gollum.cameo_on("1997") == "HOBGOV" and gollum.cameo_on("2005") == "HOBREB"
    assert {e.id for e in kb.lookup("Smeagol")} == {"petrarch:gollum"}
    assert united_nations.aliases[:2] == ("U.N.", "Secretary General")
    assert any("foreign minister" in a.terms and a.acts_as == "government" for a in kb.agents)


def test_agents_dictionary_expands_sets_and_plurals() -> None:
    agents = {a.terms[0]: a for a in import_agents(FIXTURES / "tiny.agents")}
    assert agents["harbour master"].terms == ("harbour master", "harbour masters")
    assert agents["government spokesman"].terms == ("government spokesman", "cabinet spokesman")
    assert agents["smuggler"].terms == ("smuggler", "smugglers and pirates") and agents["smuggler"].acts_as == "country"


@pytest.mark.parametrize(
    ("text", "problem"),
    [("+ORPHAN_SYNONYM\n", "before any actor name"), ("NOWHERE [NWH 20201301-20211231]\n", "cannot read code block"),
     ("LONELY_NAME\n", "has no code"), ("BROKEN [ABC\n", "unbalanced")],
)
def test_bad_actor_dictionary_names_the_file_type(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.actors"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_kb(extra_files=[path], data_dir=MINI)
    assert "PETRARCH actors dictionary" in str(caught.value) and problem in str(caught.value)


def test_format_is_detected_by_extension_or_content(tmp_path: Path) -> None:
    sniffed = tmp_path / "list.txt"
    sniffed.write_text("ERSATZIA [ERS]\n+ERSATZIAN\n", encoding="utf-8")
    assert detect_dictionary_kind(sniffed) == "actors"
    assert detect_dictionary_kind(FIXTURES / "tiny.agents") == "agents"
    assert detect_dictionary_kind(MINI / "states.yaml") == "yaml"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("UNITED_STATES", "United States"),
        ("IMF", "IMF"),
        ("GROUP OF 77", "Group of 77"),
        ("U.S.", "U.S."),
        ("ARNOR_", "Arnor"),
    ],
)
def test_display_names(raw: str, expected: str) -> None:
    assert display_name(raw) == expected


def test_two_and_four_digit_years() -> None:
    assert str(petrarch_date("911226")) == "1991-12-26"
    assert str(petrarch_date("20130119")) == "2013-01-19"
    assert petrarch_date("20131301") is None


def test_narrower_later_restriction_overrides(shared_dir: Path) -> None:
    folder = shared_dir / "eval" / "petrarch" / "dictionaries"
    kb = load_kb(extra_files=[folder / "PETR.Validate.actors.txt"], data_dir=MINI)
    sam = kb.get("petrarch:sam-gamgee")
    assert sam is not None
    assert sam.cameo_on("2010-01-10") == "ORCHOB"
    assert sam.cameo_on("2011-05-01") == "HOBMIL"
    assert sam.cameo_on("2005") == "HOBCIV"
