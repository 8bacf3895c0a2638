"""General news wording: rejecting an actor's request or plan, staging protests, cutting
supplies and links. Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from dyadlens.model import RawInput
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources

Dyad = tuple[str | None, str | None, str]


def coded(resources: Resources, text: str) -> set[Dyad]:
    raw = RawInput(doc_id="test", path="test.txt", format="txt", data=text.encode("utf-8"),
                   meta={"published": "2024-05-10", "title": "Test"})
    return {(e.source, e.target, e.code) for e in build_pipeline(resources, upto="event_context")(raw).events}


@pytest.mark.parametrize(
    ("text", "dyad"),
    [
        ("Peru rejected a Chilean request to extradite the two smugglers.", ("peru", "chile", "120")),
        ("Ecuador dismissed renewed calls by Colombia for a joint border force.", ("ecuador", "colombia", "120")),
        ("Bolivia turned down an appeal from Brazil to reopen the mine.", ("bolivia", "brazil", "120")),
        ("Uruguay rejected an Argentine proposal for a customs union.", ("uruguay", "argentina", "125")),
    ],
)
def test_rejecting_a_request_targets_its_author(resources: Resources, text: str, dyad: Dyad) -> None:
    assert dyad in coded(resources, text)


def test_a_plain_rejection_without_an_author_names_no_target_from_the_object(resources: Resources) -> None:
    found = coded(resources, "Peru rejected the request on Monday.")
    assert not any(target is not None and source == "peru" and code.startswith("12") for source, target, code in found)


@pytest.mark.parametrize(
    ("text", "dyad"),
    [
        ("Hungary held a rally against Austria over the dam.", ("hungary", "austria", "141")),
        ("Iran cut off electricity to Armenia after the dispute.", ("iran", "armenia", "162")),
        ("Germany halted fuel deliveries to Poland last week.", ("germany", "poland", "162")),
        ("Italy suspended air links with Serbia on Friday.", ("italy", "serbia", "160")),
    ],
)
def test_protests_and_cut_supplies_are_coded(resources: Resources, text: str, dyad: Dyad) -> None:
    assert dyad in coded(resources, text)


@pytest.mark.parametrize(
    ("text", "dyad"),
    [
        ("Thailand imposed martial law in Cambodia after the raid.", ("thailand", "cambodia", "1724")),
        ("Russia declared a state of emergency in Georgia.", ("russia", "georgia", "1724")),
        ("Serbia lifted the night curfew in Kosovo on Monday.", ("serbia", "kosovo", "0813")),
        ("Sudan lifted a state of emergency in Chad.", ("sudan", "chad", "0814")),
    ],
)
def test_curfews_and_emergency_rule_are_imposed_and_eased(resources: Resources, text: str, dyad: Dyad) -> None:
    assert dyad in coded(resources, text)


def test_enforcing_the_law_is_not_emergency_rule(resources: Resources) -> None:
    assert not any(code.startswith("17") for _, _, code in coded(resources, "Peru will enforce the law in Chile."))
