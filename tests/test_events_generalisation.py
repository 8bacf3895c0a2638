"""Event mechanisms that carry over to unseen outlets: multi-party gatherings, collective
nouns, characterising speech acts, answers to claims, state organs, places as targets and
double negation. Every sentence here was written for these tests."""

from __future__ import annotations

from dyadlens.model import DocumentRecords, RawInput
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources

Dyad = tuple[str | None, str | None, str]


def code_text(resources: Resources, text: str, published: str = "2024-05-10") -> DocumentRecords:
    raw = RawInput(doc_id="test", path="test.txt", format="txt", data=text.encode("utf-8"),
                   meta={"published": published, "title": "Test"})
    return build_pipeline(resources, upto="event_context")(raw)


def coded(records: DocumentRecords) -> set[Dyad]:
    return {(e.source, e.target, e.code) for e in records.events}


def roots(records: DocumentRecords) -> set[Dyad]:
    return {(e.source, e.target, e.code[:2]) for e in records.events}


GATHERING = (
    "Brazil hosted a delegation from Chile in Brasilia on Monday. "
    "The summit brought together envoys from Peru, Bolivia and Ecuador. "
    "In a closing communique, the participants called on the United Nations to fund a clinic. "
    "The Chilean delegation asked the other governments to help unfreeze its deposits."
)


def test_participants_of_a_gathering_visit_the_host_named_before(resources: Resources) -> None:
    found = coded(code_text(resources, GATHERING))
    assert {("peru", "brazil", "042"), ("bolivia", "brazil", "042"), ("ecuador", "brazil", "042")} <= found


def test_the_participants_stand_for_every_party_of_the_gathering(resources: Resources) -> None:
    found = roots(code_text(resources, GATHERING))
    parties = ("brazil", "chile", "peru", "bolivia", "ecuador")
    assert {(p, "united-nations", "02") for p in parties} <= found


def test_the_other_governments_exclude_the_speaker(resources: Resources) -> None:
    found = roots(code_text(resources, GATHERING))
    assert {("chile", p, "02") for p in ("brazil", "peru", "bolivia", "ecuador")} <= found
    assert ("chile", "chile", "02") not in found


def test_a_host_of_a_meeting_that_included_envoys_hosts_each_of_them(resources: Resources) -> None:
    text = (
        "Last year Argentina hosted a forum that included diplomats from Uruguay and Paraguay"
        " alongside negotiators from Colombia."
    )
    found = coded(code_text(resources, text))
    assert {
        ("argentina", "uruguay", "043"),
        ("argentina", "paraguay", "043"),
        ("argentina", "colombia", "043"),
    } <= found


def test_a_collective_noun_without_a_gathering_names_nobody(resources: Resources) -> None:
    records = code_text(resources, "The participants called on the United Nations to fund a clinic.")
    assert not records.events


def test_call_on_someone_to_act_makes_them_the_agent_of_the_act(resources: Resources) -> None:
    found = roots(code_text(resources, "Peru called on Chile to host talks with Bolivia."))
    assert ("peru", "chile", "02") in found
    assert ("peru", "bolivia", "04") not in found


def test_describing_an_actor_as_a_partner_is_praise(resources: Resources) -> None:
    found = coded(code_text(resources, "Japan's envoy described Brazil as a partner against piracy."))
    assert ("japan", "brazil", "051") in found


def test_calling_an_act_a_violation_is_criticism(resources: Resources) -> None:
    found = coded(code_text(resources, "Chile called the Peruvian raid a violation of its waters."))
    assert ("chile", "peru", "111") in found


def test_a_denial_answers_the_accuser_of_the_preceding_sentence(resources: Resources) -> None:
    found = coded(code_text(resources, "Peru accused Bolivia of smuggling arms. Bolivia denied this."))
    assert ("bolivia", "peru", "016") in found


def test_welcoming_a_decision_praises_its_author(resources: Resources) -> None:
    found = coded(code_text(resources, "Chile lifted its tariffs on Peruvian copper. Peru welcomed the decision."))
    assert ("peru", "chile", "051") in found


def test_accepting_an_envoy_is_cooperation_with_the_sender(resources: Resources) -> None:
    found = coded(code_text(resources, "Peru accepted a Bolivian envoy in March."))
    assert ("peru", "bolivia", "050") in found


def test_summoning_an_ambassador_names_the_ambassadors_state(resources: Resources) -> None:
    found = roots(code_text(resources, "Chile summoned the Peruvian ambassador."))
    assert ("chile", "peru", "11") in found


def test_authorities_of_a_state_act_for_its_government_at_the_date(resources: Resources) -> None:
    text = "Pakistan has repeatedly urged the authorities in Kabul to act against the gunmen."
    later = roots(code_text(resources, text, published="2023-05-10"))
    earlier = roots(code_text(resources, text, published="2019-05-10"))
    assert ("pakistan", "taliban", "02") in later
    assert ("pakistan", "taliban", "02") not in earlier


def test_an_unknown_institution_of_a_state_acts_for_the_state(resources: Resources) -> None:
    found = roots(code_text(resources, "Brazil's Electoral Tribunal praised Peru."))
    assert ("brazil", "peru", "05") in found


def test_a_place_named_by_a_state_is_the_target_of_an_air_strike(resources: Resources) -> None:
    found = coded(code_text(resources, "Turkish jets struck targets in the Syrian border provinces overnight."))
    assert ("turkey", "syria", "195") in found


def test_firing_on_posts_targets_their_state(resources: Resources) -> None:
    found = roots(code_text(resources, "Indian troops fired on Pakistani posts along the frontier."))
    assert ("india", "pakistan", "19") in found


def test_attacks_inside_a_state_target_it(resources: Resources) -> None:
    found = roots(code_text(resources, "Al-Shabaab has stepped up attacks inside Kenya."))
    assert any(target == "kenya" and code == "18" for _, target, code in found)


def test_never_stopping_a_meeting_asserts_it(resources: Resources) -> None:
    records = code_text(resources, "Chile never stopped its diplomats from meeting Bolivia.")
    event = next(e for e in records.events if (e.source, e.target) == ("chile", "bolivia"))
    assert event.modality == "asserted"


def test_moving_closer_to_an_act_is_not_the_act(resources: Resources) -> None:
    records = code_text(resources, "Brazil has moved closer to recognising Bolivia.")
    event = next(e for e in records.events if e.target == "bolivia" and e.code.startswith("054"))
    assert event.modality == "possible"


def test_returning_to_power_takes_the_movements_home_state(resources: Resources) -> None:
    found = coded(code_text(resources, "The Taliban returned to power in August 2021."))
    assert ("taliban", "afghanistan", "192") in found


def test_seizing_power_is_taking_a_state(resources: Resources) -> None:
    found = coded(code_text(resources, "The Houthis seized power in Yemen in 2014."))
    assert ("houthis", "yemen", "192") in found


def test_a_relationship_described_by_an_adjective_is_no_event(resources: Resources) -> None:
    records = code_text(resources, "Relations between Chile and Peru remain tense.")
    assert not records.events


def test_plans_by_several_actors_give_one_planned_event_each(resources: Resources) -> None:
    text = "A wider war would complicate plans by Chile and Peru to use Bolivia as a transit route."
    records = code_text(resources, text)
    found = {(e.source, e.target, e.code, e.modality) for e in records.events}
    assert {("chile", "bolivia", "061", "planned"), ("peru", "bolivia", "061", "planned")} <= found


def test_sending_goods_to_a_state_is_trade(resources: Resources) -> None:
    found = coded(code_text(resources, "Argentina plans to ship grain to Chile next year."))
    assert ("argentina", "chile", "061") in found


def test_references_to_a_gathering_share_its_date(resources: Resources) -> None:
    records = code_text(resources, GATHERING)
    dates = {e.date for e in records.events if e.target == "brazil" and e.code == "042"}
    assert dates == {"2024-05-06"}


def test_a_bare_nominal_act_takes_the_latest_target_of_that_act(resources: Resources) -> None:
    records = code_text(resources, "Chile recognised Kosovo in May. Peru has stopped short of formal recognition.")
    event = next(e for e in records.events if e.source == "peru")
    assert (event.target, event.code, event.modality) == ("kosovo", "054", "negated")


def test_a_bare_nominal_act_without_an_earlier_one_names_no_target(resources: Resources) -> None:
    records = code_text(resources, "Peru has stopped short of formal recognition.")
    assert not records.events


def test_a_by_phrase_that_names_no_actor_leaves_the_nominal_without_a_source(resources: Resources) -> None:
    text = (
        "Chile recognised Kosovo in May."
        " Peru did not say whether this was an obstacle to recognition by other states."
    )
    records = code_text(resources, text)
    assert not [e for e in records.events if e.source == "peru"]


def test_following_repeats_the_earlier_act_with_the_new_subject(resources: Resources) -> None:
    text = "Kazakhstan removed the Taliban from its list in 2023, and Kyrgyzstan followed last year."
    assert ("kyrgyzstan", "taliban", "081") in coded(code_text(resources, text))


def test_a_hedged_follower_keeps_its_own_modality(resources: Resources) -> None:
    text = "Chile recognised Kosovo in May. It was not clear whether Peru would follow quickly."
    event = next(e for e in code_text(resources, text).events if e.source == "peru")
    assert (event.target, event.code, event.modality) == ("kosovo", "054", "possible")


def test_an_act_approached_but_not_done_is_possible_and_negated(resources: Resources) -> None:
    text = "Brazil has moved closer to recognising Kosovo, but it has not done so yet."
    found = {(e.source, e.target, e.code, e.modality) for e in code_text(resources, text).events}
    assert {("brazil", "kosovo", "054", "possible"), ("brazil", "kosovo", "054", "negated")} <= found


def test_keeping_an_embassy_open_in_a_capital_is_cooperation_with_its_state(resources: Resources) -> None:
    found = coded(code_text(resources, "Ankara kept its embassy in Tripoli open throughout the fighting."))
    assert ("turkey", "libya", "050") in found


def test_placing_an_actor_on_a_list_is_a_designation(resources: Resources) -> None:
    found = coded(code_text(resources, "Canada placed Hamas on its list of terrorist entities in 2002."))
    assert ("canada", "hamas", "172") in found


def test_a_states_companies_act_for_it(resources: Resources) -> None:
    found = roots(code_text(resources, "Chilean companies have discussed copper supplies with Peru."))
    assert ("chile", "peru", "04") in found


def test_a_meeting_after_which_someone_spoke_was_theirs(resources: Resources) -> None:
    text = "Peru's foreign minister announced the deal in Lima after a meeting with the Chilean ambassador."
    assert ("peru", "chile", "04") in roots(code_text(resources, text))


def test_a_nominal_inside_reported_speech_does_not_take_the_speaker(resources: Resources) -> None:
    assert not code_text(resources, "Peru said talks with Chile were going well.").events


def test_criticising_an_actors_policy_criticises_the_actor(resources: Resources) -> None:
    found = coded(code_text(resources, "Western governments have criticised Chile's restrictions on the press."))
    assert ("the-west", "chile", "111") in found


def test_supporting_an_actors_stability_is_no_praise_of_the_actor(resources: Resources) -> None:
    found = roots(code_text(resources, "Norway aims to support Peru's stability."))
    assert ("norway", "peru", "05") not in found


def test_talking_to_an_actor_is_a_negotiation(resources: Resources) -> None:
    records = code_text(resources, "Chile intends to keep talking to Peru.")
    found = {(e.source, e.target, e.code, e.modality) for e in records.events}
    assert ("chile", "peru", "046", "planned") in found


def test_a_pronoun_for_a_states_authorities_is_its_government(resources: Resources) -> None:
    text = "He added that the authorities in Kabul controlled the country and that Iran had to deal with them."
    records = code_text(resources, text, published="2023-05-10")
    found = {(e.source, e.target, e.code[:2], e.modality) for e in records.events}
    assert ("iran", "taliban", "04", "recommended") in found


def test_sending_a_delegation_to_a_state_is_a_visit(resources: Resources) -> None:
    assert ("iran", "pakistan", "042") in coded(code_text(resources, "Iran sent a delegation to Pakistan last week."))


def test_an_own_embassy_kept_open_names_no_target_by_itself(resources: Resources) -> None:
    assert not code_text(resources, "Ankara kept its embassy open throughout the fighting.").events


def test_a_topic_of_a_gathering_is_no_participant(resources: Resources) -> None:
    text = "Brazil hosted a delegation from Chile on Monday. The talks included discussions of trade with China."
    assert ("china", "brazil", "042") not in coded(code_text(resources, text))
