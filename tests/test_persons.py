"""Persons the KB does not know, resolved through their titles; institutions and their
possessive pronouns, on sentences written for these tests (full actors stage, shipped KB)."""

from __future__ import annotations

import pytest

from dyadlens.model import DocumentRecords, RawInput
from dyadlens.pipeline import build_pipeline

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analyse(resources):
    pipeline = build_pipeline(resources, upto="actors")

    def run(text: str) -> DocumentRecords:
        return pipeline(RawInput("t", "t.txt", "txt", text.encode("utf-8"), {"published": "2024-03-01"}))

    return run


def resolved(records: DocumentRecords) -> dict[str, tuple[str | None, str]]:
    text = records.document.text
    return {text[m.start : m.end]: (m.actor_id, m.rule) for m in records.mentions}


def test_title_before_the_name_and_a_later_surname(analyse) -> None:
    records = analyse("Iran's deputy foreign minister Ali Rezaei met officials. Rezaei said the talks were useful.")
    found = resolved(records)
    assert found["Ali Rezaei"] == ("iran", "title")
    assert found["Rezaei"] == ("iran", "surname")
    (person,) = records.persons
    assert (person.name, person.affiliation, person.office, person.sectors) == (
        "Ali Rezaei", "iran", "deputy foreign minister", "GOV"
    )


def test_apposition_with_a_for_phrase(analyse) -> None:
    found = resolved(analyse("Maria Lund, a spokeswoman for the Norwegian foreign ministry, said Oslo would send aid."))
    assert found["Maria Lund"] == ("norway", "of-phrase")


def test_apposition_after_the_office(analyse) -> None:
    found = resolved(analyse("The Pakistani ambassador, Omar Khan, visited Kabul on Monday."))
    assert found["Omar Khan"] == ("pakistan", "apposition")


def test_a_person_with_no_office_stays_unresolved(analyse) -> None:
    records = analyse("Lena Holm, a researcher at a policy institute in Tashkent, said the plan was sound.")
    assert records.persons == []
    assert resolved(records)["Lena Holm"][1] == "ner-unresolved"


def test_institution_names_resolve_to_their_state(analyse) -> None:
    found = resolved(
        analyse("India's parliament passed the bill, and the National Assembly of Pakistan condemned it.")
    )
    assert found["India's parliament"] == ("india", "institution")
    assert found["National Assembly of Pakistan"] == ("pakistan", "institution")


def test_institution_named_again_without_its_state(analyse) -> None:
    found = resolved(analyse("The Supreme Court of Pakistan rejected the appeal. Later the Supreme Court adjourned."))
    assert found["Supreme Court"] == ("pakistan", "coref:institution")


def test_possessive_pronoun_owner_is_the_one_state_named_before(analyse) -> None:
    records = analyse("Russia still lists the Taliban as a terrorist group, a designation its Supreme Court imposed.")
    assert resolved(records)["Supreme Court"] == ("russia", "coref:possessive")


def test_persons_command_lists_a_titled_person_and_writes_a_loadable_kb_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from dyadlens.cli import main
    from dyadlens.kb.knowledge_base import load_kb

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "visit.txt").write_text(
        "Iran's deputy foreign minister Ali Rezaei met officials in Baghdad on Monday.\n", encoding="utf-8"
    )
    db, kb_file = tmp_path / "d.db", tmp_path / "people.yaml"
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(db), "-q", "ingest", str(corpus)]).exit_code == 0
    listed = runner.invoke(main, ["--db", str(db), "persons", "--json"])
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.output)
    assert (row["name"], row["affiliation"]) == ("Ali Rezaei", "iran")
    written = runner.invoke(main, ["--db", str(db), "persons", "--kb-file", str(kb_file)])
    assert written.exit_code == 0 and "Ali Rezaei" in written.output
    checked = runner.invoke(main, ["--kb", str(kb_file), "kb-check"])
    assert checked.exit_code == 0, checked.output
    person = load_kb(extra_files=[kb_file]).get("ali-rezaei")
    assert person is not None and [r.actor for r in person.roles] == ["iran"]
