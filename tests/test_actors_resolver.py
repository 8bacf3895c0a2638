"""The actors component on sentences written for these tests, with a fixture KB."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dyadlens.kb.knowledge_base import KnowledgeBase, load_kb
from dyadlens.model import DocumentRecords, RawInput
from dyadlens.nlp.actors import ActorResolver
from dyadlens.nlp.lexicon import Lexicon, load_lexicon
from dyadlens.pipeline import Pipeline, build_pipeline
from dyadlens.resources import Resources

MINI = Path(__file__).resolve().parent / "fixtures" / "kb" / "mini"


@dataclass
class FixtureResources:
    """What the resolver reads from Resources: the shared spaCy model, our own KB and the lexicon."""

    kb: KnowledgeBase
    nlp: Any
    lexicon: Lexicon = field(default_factory=load_lexicon)


@pytest.fixture(scope="module")
def analyse(resources):
    parse_stages = build_pipeline(resources, upto="parse").components
    resolver = ActorResolver(FixtureResources(load_kb(data_dir=MINI), resources.nlp))
    pipeline = Pipeline([*parse_stages, resolver])

    def run(text: str, published: str | None = "2024-03-01") -> DocumentRecords:
        meta = {"published": published} if published else {}
        return pipeline(RawInput("t", "t.txt", "txt", text.encode("utf-8"), meta))

    return run


def mentions(records: DocumentRecords) -> list[tuple[str, str | None, str]]:
    text = records.document.text
    return [(text[m.start : m.end], m.actor_id, m.rule) for m in records.mentions]


def actor_of(records: DocumentRecords, surface: str) -> str | None:
    found = [m for m in mentions(records) if m[0] == surface]
    assert found, f"no mention {surface!r} in {mentions(records)}"
    return found[0][1]


def test_kremlin_and_capital_speaking_are_the_state(analyse) -> None:
    records = analyse("The Kremlin rejected the offer on Monday.\n\nLater Moscow said it would reconsider.")
    assert actor_of(records, "The Kremlin") == "russia"
    assert actor_of(records, "Moscow") == "russia"
    assert [a.id for a in records.actors] == ["russia"]


def test_demonym_with_agent_noun_and_alone(analyse) -> None:
    records = analyse("Russian diplomats met Pakistani farmers near the border.")
    assert actor_of(records, "Russian diplomats") == "russia"
    assert actor_of(records, "Pakistani") == "pakistan"


def test_longest_alias_wins_for_ttp_and_iskp(analyse) -> None:
    records = analyse("The Pakistani Taliban blamed the Taliban, while Islamic State Khorasan Province stayed silent.")
    assert actor_of(records, "Pakistani Taliban") == "ttp"
    assert actor_of(records, "the Taliban") == "taliban"
    assert actor_of(records, "Islamic State Khorasan Province") == "iskp"
    assert {a.id for a in records.actors} == {"ttp", "taliban", "iskp"}


def test_short_acronyms_are_case_sensitive(analyse) -> None:
    records = analyse("Let us see whether IS will retreat and whether the US will care.")
    assert {a.id for a in records.actors if a.resolved} == {"islamic-state", "united-states"}
    assert all(text != "us" for text, _, _ in mentions(records))


def test_misspelled_name_is_read_as_the_near_actor(analyse) -> None:
    records = analyse("The Taliban held a meeting.\n\nAfterwards the Talliban issued a statement.")
    surface = [m for m in mentions(records) if m[0] == "Talliban"]
    assert surface and surface[0][1] == "taliban" and surface[0][2].startswith("fuzzy")


def test_surname_of_a_person_is_not_read_as_a_misspelled_country(analyse) -> None:
    records = analyse("Pedro Katar met the press.\n\nKatar said the port would reopen.")
    assert "qatar" not in {m.actor_id for m in records.mentions}


@pytest.mark.parametrize(("published", "expected"), [("2018-06-01", "ruritania"), ("2022-06-01", "league-of-ports")])
def test_person_acts_for_the_office_held_on_the_document_date(analyse, published: str, expected: str) -> None:
    records = analyse("Marta Velez warned that the talks could fail.", published)
    found = [m for m in records.mentions if records.document.text[m.start : m.end] == "Marta Velez"]
    assert found[0].actor_id == expected and found[0].person == "marta-velez" and found[0].rule == "role@date"


@pytest.mark.parametrize(("published", "expected"), [("2021-05-10", "afghan-republic"), ("2022-02-01", "taliban")])
def test_kabul_acting_follows_who_governs(analyse, published: str, expected: str) -> None:
    records = analyse("Kabul said it would reopen the border crossing.", published)
    assert actor_of(records, "Kabul") == expected


def test_kabul_as_a_place_is_the_country(analyse) -> None:
    records = analyse("Several states kept an embassy in Kabul.", "2022-02-01")
    assert actor_of(records, "Kabul") == "afghanistan"


def test_afghan_officials_by_date(analyse) -> None:
    before = analyse("Afghan officials visited the dam.", "2020-03-01")
    after = analyse("Afghan officials visited the dam.", "2023-03-01")
    assert actor_of(before, "Afghan officials") == "afghan-republic"
    assert actor_of(after, "Afghan officials") == "taliban"


def test_capital_inside_another_name_and_demonym_in_a_sea_name_are_no_actors(analyse) -> None:
    records = analyse("The Doha office stayed open while ships crossed the Indian Ocean.")
    assert {a.id for a in records.actors if a.resolved} == set()


def test_the_group_refers_to_the_last_armed_group(analyse) -> None:
    records = analyse("The Pakistani Taliban attacked a post. Two days later the group claimed a second raid.")
    coref = [m for m in mentions(records) if m[2] == "coref:recency"]
    assert coref == [("the group", "ttp", "coref:recency")]


def test_the_envoy_refers_to_the_last_named_envoy(analyse) -> None:
    records = analyse("Oleg Brandt arrived in Kabul. The envoy then met the Taliban.", "2023-05-01")
    coref = [m for m in records.mentions if m.rule == "coref:recency"]
    assert [(m.actor_id, m.person) for m in coref] == [("russia", "oleg-brandt")]


def test_unknown_organisation_is_kept_unresolved(analyse) -> None:
    records = analyse("The Velmora Foundation criticised the plan of the United States.")
    unresolved = [a for a in records.actors if not a.resolved]
    assert [a.id for a in unresolved] == ["unresolved:velmora-foundation"]
    assert unresolved[0].type == "organization" and unresolved[0].name == "Velmora Foundation"
    assert actor_of(records, "Velmora Foundation") == "unresolved:velmora-foundation"
    assert actor_of(records, "United States") == "united-states"


def test_mentions_carry_document_offsets(analyse) -> None:
    text = "A first sentence here.\n\nThe Kremlin answered later."
    records = analyse(text)
    mention = next(m for m in records.mentions if m.actor_id == "russia")
    assert text[mention.start : mention.end] == "The Kremlin"
    assert records.sentences[mention.sentence_index].start <= mention.start


def test_agent_before_the_state_name(analyse) -> None:
    records = analyse("The officials of Afghanistan met the press.", "2023-01-10")
    assert actor_of(records, "officials of Afghanistan") == "taliban"


def test_envoy_for_a_country_is_not_that_country_s_government(analyse) -> None:
    records = analyse("Oleg Brandt, the Afghanistan envoy of Russia, spoke.", "2023-01-10")
    assert actor_of(records, "Afghanistan") == "afghanistan"


def test_capital_inside_a_name_is_kept_without_actor(analyse) -> None:
    records = analyse("The Doha office stayed open.")
    assert [(m[0], m[1], m[2]) for m in mentions(records) if m[0] == "Doha"] == [("Doha", None, "capital-in-name")]


def test_modified_group_noun_is_not_coreferent(analyse) -> None:
    records = analyse("The Taliban met the elders. The second group left early.")
    assert [m for m in mentions(records) if m[2] == "coref:recency"] == []


def test_shared_alias_prefers_the_person_in_office(tmp_path, resources) -> None:
    extra = tmp_path / "presidents.yaml"
    extra.write_text(
        "- {id: pres-a, name: Anna Kessel, type: person, aliases: [Kessel],"
        " roles: [{actor: ruritania, from: '1990', until: '1995'}]}\n"
        "- {id: pres-b, name: Boris Kessel, type: person, aliases: [Kessel],"
        " roles: [{actor: ruritania, from: '2010', until: '2015'}]}\n",
        encoding="utf-8",
    )
    kb = load_kb(extra_files=[extra], data_dir=MINI)
    assert [c.ids for c in kb.collisions] == [("pres-a", "pres-b")]
    resolver = ActorResolver(FixtureResources(kb, resources.nlp))
    pipeline = Pipeline([*build_pipeline(resources, upto="parse").components, resolver])
    in_office = pipeline(RawInput("k", "k.txt", "txt", b"Kessel signed the decree.", {"published": "2012"}))
    neither = pipeline(RawInput("k", "k.txt", "txt", b"Kessel signed the decree.", {"published": "2005"}))
    assert [(m.person, m.actor_id) for m in in_office.mentions] == [("pres-b", "ruritania")]
    assert [(m.actor_id, m.rule) for m in neither.mentions] == [(None, "ambiguous-alias")]


def test_former_official_and_person_without_office(analyse) -> None:
    records = analyse("Ilse Norden and Tomas Arle debated the plan.", "2022-04-01")
    found = {records.document.text[m.start : m.end]: (m.actor_id, m.person, m.rule) for m in records.mentions}
    assert found["Ilse Norden"] == ("pakistan", "ilse-norden", "former-role@date")
    assert found["Tomas Arle"] == (None, "tomas-arle", "person-without-role")
    assert {a.id for a in records.actors} == {"pakistan"}


def test_title_case_headline_gives_no_unresolved_names(analyse) -> None:
    records = analyse("The Quiet Truth About Harbour Deals Is Stranger Than Fiction\n\nThe Kremlin stayed silent.")
    assert [a.id for a in records.actors] == ["russia"]


def test_country_name_inside_a_person_name_is_no_mention(analyse) -> None:
    records = analyse("The singer Maria Pakistan arrived, and Pakistan protested.")
    surfaces = [(m[0], m[1]) for m in mentions(records)]
    assert surfaces == [("Maria Pakistan", "unresolved:maria-pakistan"), ("Pakistan", "pakistan")]


def test_media_name_inside_a_ministry_name_is_no_mention(analyse) -> None:
    records = analyse("The Ministry of Foreign Affairs of Pakistan protested. Foreign Affairs published an essay.")
    found = [(m[0], m[1]) for m in mentions(records) if m[1] in ("foreign-affairs", "pakistan")]
    assert found == [("Ministry of Foreign Affairs of Pakistan", "pakistan"), ("Foreign Affairs", "foreign-affairs")]


def test_metonym_as_a_place_is_the_state(analyse) -> None:
    records = analyse("Delegates gathered at the Kremlin on Monday.")
    assert [(m[0], m[1], m[2]) for m in mentions(records)] == [("the Kremlin", "russia", "metonym-place")]


def test_coreference_prefers_a_subject_or_object_nearby(analyse) -> None:
    records = analyse("Officials described the Taliban as a partner against ISKP, although the movement was banned.")
    assert [(m[0], m[1]) for m in mentions(records) if m[2] == "coref:recency"] == [("the movement", "taliban")]


def test_outlet_named_by_an_ordinary_word_needs_a_reporting_context(analyse) -> None:
    records = analyse("Dawn broke over the valley.\n\nDawn reported that the talks had failed.")
    assert [(m[0], m[1]) for m in mentions(records)] == [("Dawn", "dawn")]
    assert records.mentions[0].start > records.document.text.index("valley")


def pronoun_mentions(records: DocumentRecords) -> list[tuple[str, str | None]]:
    return [(m[0], m[1]) for m in mentions(records) if m[2] == "coref:pronoun"]


def test_the_group_with_two_competing_antecedents_stays_unresolved(analyse) -> None:
    records = analyse(
        "The Pakistani Taliban and ISKP attacked a convoy. Two days later the group claimed a second raid."
    )
    assert [m for m in mentions(records) if m[2] == "coref:recency"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Pakistani Taliban ambushed a patrol. They later seized a checkpoint.", [("They", "ttp")]),
        ("India rejected the offer on Friday. It then recalled its envoy.", [("It", "india")]),
        ("Oleg Brandt arrived in Doha. He met the Taliban there.", [("He", "russia")]),
    ],
)
def test_subject_pronoun_takes_the_salient_actor_of_the_previous_sentence(analyse, text, expected) -> None:
    assert pronoun_mentions(analyse(text, "2023-05-01")) == expected


@pytest.mark.parametrize(
    "text",
    [
        "India and Pakistan exchanged fire. They later agreed to talk.",  # two coordinated subjects
        "It is unclear whether India will respond.",  # placeholder "it"
        "Pakistan spoke first. Later India said it would reply.",  # an actor precedes the pronoun
        "Pierre Dumas met Oleg Brandt in Doha. He praised the talks.",  # an unknown person competes
    ],
)
def test_subject_pronoun_without_a_single_antecedent_is_left_alone(analyse, text) -> None:
    assert pronoun_mentions(analyse(text, "2023-05-01")) == []


def test_the_new_authorities_are_the_group_that_took_power(resources: Resources) -> None:
    raw = RawInput(
        doc_id="t", path="t.txt", format="txt", meta={"published": "2015-03-01", "title": "T"},
        data=b"The Houthis seized Sanaa in September. Iran said it would judge the new authorities by their deeds.",
    )
    records = build_pipeline(resources, upto="actors")(raw)
    text = records.document.text
    assert any(text[m.start:m.end] == "the new authorities" and m.actor_id == "houthis" for m in records.mentions)
