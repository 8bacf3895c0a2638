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
    text = "The PKK, which is still outlawed by Turkey, keeps offices across the border."
    assert ("turkey", "pkk", "listed", None) in statuses(designations_of(resources, text))


def test_parenthetical_and_similarly_designated(resources: Resources) -> None:
    text = (
        "Envoys met the Haqqani Network (formally designated as terrorists by Washington) in a mountain village. "
        "They are designated as terrorists by the United States"
        " and train with the similarly designated Lashkar-e-Taiba."
    )
    found = statuses(designations_of(resources, text))
    assert ("united-states", "haqqani-network", "listed", None) in found
    assert ("united-states", "lashkar-e-taiba", "listed", None) in found


def test_proposal_is_not_a_delisting(resources: Resources) -> None:
    text = "Two Canadian ministries proposed taking Hezbollah off the register of terrorist entities last month."
    found = {
        d.status for d in designations_of(resources, text) if (d.designator, d.designee) == ("canada", "hezbollah")
    }
    assert "delisted" not in found
    assert found <= {"delisting_proposed", "delisting_promised"}


def test_promised_delisting_is_dated_by_the_report(resources: Resources) -> None:
    text = "Uzbekistan’s promised delisting of the IMU as a terrorist group could take a year."
    found = [d for d in designations_of(resources, text, "2024-10") if d.status == "delisting_promised"]
    assert [(d.designator, d.designee, d.date) for d in found] == [("uzbekistan", "imu", "2024-10")]
    assert found[0].event_id is not None


def test_one_row_per_status_change(resources: Resources) -> None:
    text = (
        "In 2005, Uzbekistan designated the IMU a terrorist organization. "
        "The IMU is still outlawed by Tashkent."
    )
    listed = [d for d in designations_of(resources, text) if d.status == "listed" and d.designee == "imu"]
    assert [d.date for d in listed] == ["2005"]


def test_remains_on_the_list_statement(resources: Resources) -> None:
    text = "The TTP remains on Pakistan's list of terrorist organizations."
    assert ("pakistan", "ttp", "listed", None) in statuses(designations_of(resources, text))


def test_hypothetical_listing_gives_nothing(resources: Resources) -> None:
    text = "The TTP could be banned by Pakistan if the attacks continue."
    assert statuses(designations_of(resources, text)) == set()


def test_evidence_is_the_sentence(resources: Resources) -> None:
    text = "Trade grew. The PKK, which is still outlawed by Turkey, keeps offices across the border."
    (found,) = [d for d in designations_of(resources, text) if d.designee == "pkk"]
    assert text[found.start : found.end].startswith("The PKK, which is still outlawed")


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


def test_suspended_ban_is_kept_apart_from_a_delisting_and_the_ban_start_is_a_listing(resources: Resources) -> None:
    text = "Kenya's High Court on Thursday suspended the ban on al-Shabaab, which had been in force since 2009."
    found = statuses(designations_of(resources, text, "2025-04-18"))
    assert ("kenya", "al-shabaab", "ban_suspended", "2025-04-17") in found
    assert ("kenya", "al-shabaab", "listed", "2009") in found
    assert not any(status == "delisted" for _, _, status, _ in found)


def test_moving_closer_to_a_delisting_is_only_a_proposal(resources: Resources) -> None:
    text = "Canada has edged nearer to removing Hezbollah from its terrorist listings."
    found = {status for _, designee, status, _ in statuses(designations_of(resources, text)) if designee == "hezbollah"}
    assert "delisted" not in found


def test_recognition_not_yet_granted_is_withheld_as_of_publication(resources: Resources) -> None:
    text = "Tashkent has not recognised the Taliban government."
    assert ("uzbekistan", "taliban", "recognition_withheld", "2024-06-14") in statuses(designations_of(resources, text))


def test_accepted_credentials_accredit_an_ambassador_but_a_hypothetical_does_not(resources: Resources) -> None:
    done = "On 3 July 2025 China accepted the credentials of the Taliban's ambassador in Beijing."
    maybe = "If relations improved, a Taliban ambassador could be accredited by China."
    assert ("china", "taliban", "ambassador_accredited", "2025-07-03") in statuses(
        designations_of(resources, done, "2025-07-05")
    )
    assert not any(d.status == "ambassador_accredited" for d in designations_of(resources, maybe, "2025-07-05"))


def test_implied_designee_from_the_sentence_before(resources: Resources) -> None:
    text = "The PKK ambushed a supply convoy in the hills. They are listed as terrorists by Turkey."
    assert ("turkey", "pkk", "listed", None) in statuses(designations_of(resources, text))


def test_designation_reported_by_a_speaker_keeps_the_claimant(resources: Resources) -> None:
    text = "Canada will remove Hezbollah from its list of terrorist entities, Justin Trudeau said on Monday."
    found = [d for d in designations_of(resources, text, "2024-05-10") if d.designee == "hezbollah"]
    assert [(d.status, d.date, d.claimant) for d in found] == [("delisting_promised", "2024-05-06", "canada")]


def test_recognition_held_back_is_withheld(resources: Resources) -> None:
    text = "Ankara's recognition of the Taliban government is conditional on how it treats women, the envoy said."
    found = statuses(designations_of(resources, text, "2021-09"))
    assert ("turkey", "taliban", "recognition_withheld", "2021-09") in found
    assert not any(status == "recognized" for _, _, status, _ in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The State Department designated the Houthis as a Foreign Terrorist Organization on Friday.",
            ("united-states", "houthis", "listed", "2024-02-16"),
        ),
        (
            "The European Union added Hamas to its terrorist list in 2003.",
            ("european-union", "hamas", "listed", "2003"),
        ),
        (
            "The EU removed the PKK from its list of terrorist organisations in 2019.",
            ("european-union", "pkk", "delisted", "2019"),
        ),
        (
            "The United States revoked the designation of the Houthis as a terrorist organization in February 2021.",
            ("united-states", "houthis", "delisted", "2021-02"),
        ),
        (
            "Hezbollah remains on the US list of foreign terrorist organizations.",
            ("united-states", "hezbollah", "listed", None),
        ),
        (
            "A court in Kenya suspended the government's ban on al-Shabaab last week.",
            ("kenya", "al-shabaab", "ban_suspended", "2024-02"),
        ),
        (
            "Russia recognised the independence of Abkhazia in August 2008.",
            ("russia", "abkhazia", "recognized", "2008-08"),
        ),
        (
            "The Taliban ambassador presented his credentials to Xi Jinping on January 30.",
            ("china", "taliban", "ambassador_accredited", "2024-01-30"),
        ),
    ],
)
def test_wire_style_status_changes(resources: Resources, text: str, expected: tuple[str, str, str, str | None]) -> None:
    assert expected in statuses(designations_of(resources, text, "2024-02-16"))


def test_revoked_designation_is_not_a_listing(resources: Resources) -> None:
    text = "The United States revoked the designation of the Houthis as a terrorist organization in February 2021."
    assert not any(d.status == "listed" for d in designations_of(resources, text, "2024-02-16"))


def test_every_designator_in_a_list_of_agents_gets_a_row(resources: Resources) -> None:
    text = (
        "Hamas is designated as a terrorist organization by the United States, the European Union"
        " and the United Kingdom."
    )
    found = {(d.designator, d.status) for d in designations_of(resources, text) if d.designee == "hamas"}
    assert found == {("united-states", "listed"), ("european-union", "listed"), ("united-kingdom", "listed")}


def test_proposed_removal_is_only_a_proposal(resources: Resources) -> None:
    text = "Washington has proposed removing the Houthis from the terrorism list, but no decision has been made."
    found = {d.status for d in designations_of(resources, text) if d.designee == "houthis"}
    assert found == {"delisting_proposed"}


def test_hypothetical_recognition_and_addition_give_nothing(resources: Resources) -> None:
    text = "Norway could recognise Palestine next year. The EU might add the group to its terrorist list."
    assert not {d.status for d in designations_of(resources, text)} & {"recognized", "listed"}


def test_proposal_reported_by_an_agency_is_dated_by_the_report(resources: Resources) -> None:
    text = (
        "In May 2024, Reuters reported that the two ministries had proposed to President Joe Biden"
        " that the Houthis be removed from the list."
    )
    assert ("united-states", "houthis", "delisting_proposed", "2024-05") in statuses(
        designations_of(resources, text, "2025-04-18")
    )


def test_proposal_by_ministries_names_their_state(resources: Resources) -> None:
    text = (
        "Last year, Kenya's interior and justice ministries proposed to the president"
        " that al-Shabaab be taken off the list."
    )
    found = statuses(designations_of(resources, text, "2025-04-18"))
    assert ("kenya", "al-shabaab", "delisting_proposed", "2024") in found
    assert not any(status == "delisted" for _, _, status, _ in found)


def test_stopping_short_of_recognition_is_withheld_as_of_publication(resources: Resources) -> None:
    text = "Beijing accepted a Taliban envoy last year but has stopped short of formal recognition."
    found = statuses(designations_of(resources, text, "2025-07-04"))
    assert ("china", "taliban", "recognition_withheld", "2025-07-04") in found
    assert not any(status == "recognized" for _, _, status, _ in found)


def test_a_listing_dated_by_its_own_clause(resources: Resources) -> None:
    text = "Canada still lists the IRGC as a terrorist entity, a designation its cabinet imposed in 2019."
    assert ("canada", "irgc", "listed", "2019") in statuses(designations_of(resources, text, "2024-10-20"))
