"""DesignationExtractor on text written for these tests, through the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.errors import DataFileError
from dyadlens.model import Designation, RawInput
from dyadlens.nlp.designations import PATTERNS_FILE, load_designation_patterns
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources


def designations_of(resources: Resources, text: str, published: str = "2024-06-14") -> list[Designation]:
    raw = RawInput(doc_id="d", path="d.txt", format="txt", data=text.encode(), meta={"published": published})
    return build_pipeline(resources)(raw).designations


def statuses(found: list[Designation]) -> set[tuple[str, str, str, str | None]]:
    return {(d.designator, d.designee, d.status, d.date) for d in found}


def test_dated_designation_event_gives_a_dated_listing(resources: Resources) -> None:
    found = designations_of(resources, "In 2005, Pakistan designated the TTP a terrorist organization.")
    assert ("pakistan", "ttp", "listed", "2005") in statuses(found)


def test_status_statement_gives_an_undated_listing(resources: Resources) -> None:
    text = "The TTP, which is still banned by Pakistan, keeps offices across the border."
    assert ("pakistan", "ttp", "listed", None) in statuses(designations_of(resources, text))


def test_parenthetical_and_similarly_designated(resources: Resources) -> None:
    text = (
        "Officials met the TTP (officially designated as terrorists by Pakistan) in a border town. "
        "They are designated as terrorists by Pakistan and have allied with similarly designated Baloch groups."
    )
    found = statuses(designations_of(resources, text))
    assert ("pakistan", "ttp", "listed", None) in found
    assert ("pakistan", "baloch-separatists", "listed", None) in found


def test_proposal_is_not_a_delisting(resources: Resources) -> None:
    text = "Russian ministries proposed removing the Taliban from the list of terrorist organizations last month."
    found = {d.status for d in designations_of(resources, text) if (d.designator, d.designee) == ("russia", "taliban")}
    assert "delisted" not in found
    assert found <= {"delisting_proposed", "delisting_promised"}


def test_promised_delisting_is_dated_by_the_report(resources: Resources) -> None:
    text = "Russia's promised delisting of the Taliban as a terrorist organization will take time."
    found = [d for d in designations_of(resources, text, "2024-10") if d.status == "delisting_promised"]
    assert [(d.designator, d.designee, d.date) for d in found] == [("russia", "taliban", "2024-10")]
    assert found[0].event_id is not None


def test_one_row_per_status_change(resources: Resources) -> None:
    text = (
        "In 2003, Russia designated the Taliban a terrorist organization. "
        "The Taliban is still banned by Moscow."
    )
    listed = [d for d in designations_of(resources, text) if d.status == "listed" and d.designee == "taliban"]
    assert [d.date for d in listed] == ["2003"]


def test_remains_on_the_list_statement(resources: Resources) -> None:
    text = "The TTP remains on Pakistan's list of terrorist organizations."
    assert ("pakistan", "ttp", "listed", None) in statuses(designations_of(resources, text))


def test_hypothetical_listing_gives_nothing(resources: Resources) -> None:
    text = "The TTP could be banned by Pakistan if the attacks continue."
    assert statuses(designations_of(resources, text)) == set()


def test_evidence_is_the_sentence(resources: Resources) -> None:
    text = "Trade grew. The TTP, which is still banned by Pakistan, keeps offices across the border."
    (found,) = [d for d in designations_of(resources, text) if d.designee == "ttp"]
    assert text[found.start : found.end].startswith("The TTP, which is still banned")


def test_bad_pattern_file_names_the_file_and_the_problem(tmp_path: Path) -> None:
    shipped = PATTERNS_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "patterns.yaml"
    bad.write_text(shipped.replace("asserted: delisted", "asserted: unlisted"), encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown status 'unlisted'") as error:
        load_designation_patterns(bad)
    assert str(bad) in str(error.value)


def test_pattern_file_missing_keys_are_all_reported(tmp_path: Path) -> None:
    bad = tmp_path / "patterns.yaml"
    bad.write_text("events: {}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing key 'passive_listing'"):
        load_designation_patterns(bad)


def test_suspended_ban_is_not_a_delisting(resources: Resources) -> None:
    text = "Russia's Supreme Court on Thursday suspended the ban on the Taliban."
    found = statuses(designations_of(resources, text, "2025-04-18"))
    assert ("russia", "taliban", "ban_suspended", "2025-04-17") in found
    assert not any(status == "delisted" for _, _, status, _ in found)


def test_moving_closer_to_a_delisting_is_only_a_proposal(resources: Resources) -> None:
    text = "Pakistan has moved closer to removing the TTP from its list of terrorist organizations."
    found = {status for _, designee, status, _ in statuses(designations_of(resources, text)) if designee == "ttp"}
    assert "delisted" not in found


def test_recognition_not_yet_granted_is_withheld_as_of_publication(resources: Resources) -> None:
    text = "Moscow has not recognised the Taliban government."
    assert ("russia", "taliban", "recognition_withheld", "2024-06") in statuses(designations_of(resources, text))


def test_accepted_credentials_accredit_an_ambassador_but_a_hypothetical_does_not(resources: Resources) -> None:
    done = "On 3 July 2025 Russia accepted the credentials of the Taliban's ambassador in Moscow."
    maybe = "If the ban were lifted, a Taliban ambassador could be accredited by Russia."
    assert ("russia", "taliban", "ambassador_accredited", "2025-07-03") in statuses(designations_of(resources, done, "2025-07-05"))
    assert not any(d.status == "ambassador_accredited" for d in designations_of(resources, maybe, "2025-07-05"))


def test_implied_designee_from_the_sentence_before(resources: Resources) -> None:
    text = "The TTP attacked a convoy near the border. They are designated as terrorists by Pakistan."
    assert ("pakistan", "ttp", "listed", None) in statuses(designations_of(resources, text))


def test_designation_reported_by_a_speaker_keeps_the_claimant(resources: Resources) -> None:
    text = "Russia will remove the Taliban from its list of terrorist organizations, Lavrov said on Monday."
    found = [d for d in designations_of(resources, text, "2024-05-10") if d.designee == "taliban"]
    assert [(d.status, d.date, d.claimant) for d in found] == [("delisting_promised", "2024-05-06", "russia")]


def test_recognition_held_back_is_withheld(resources: Resources) -> None:
    text = "Moscow's recognition of the Taliban will depend on the conduct of the new authorities, the envoy said."
    found = statuses(designations_of(resources, text, "2021-08"))
    assert ("russia", "taliban", "recognition_withheld", "2021-08") in found
    assert not any(status == "recognized" for _, _, status, _ in found)
