"""Modality of coded events, on sentences written for these tests."""

from __future__ import annotations

import pytest

from dyadlens.model import RawInput
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources


def modality_of(resources: Resources, text: str, source: str, target: str) -> str:
    raw = RawInput(doc_id="m", path="m.txt", format="txt", data=text.encode("utf-8"), meta={"published": "2024-05-10"})
    records = build_pipeline(resources, upto="events")(raw)
    found = {e.modality for e in records.events if (e.source, e.target) == (source, target)}
    assert len(found) == 1, [(e.source, e.target, e.code, e.modality) for e in records.events]
    return found.pop()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Brazil criticized Argentina.", "asserted"),
        ("Brazil did not criticize Argentina.", "negated"),
        ("Brazil never criticizes Argentina.", "negated"),
        ("Brazil failed to criticize Argentina.", "negated"),
        ("Brazil could criticize Argentina.", "possible"),
        ("Brazil is considering sanctions against Argentina.", "possible"),
        ("Brazil will host Argentina in June.", "planned"),
        ("Brazil plans to host Argentina in June.", "planned"),
        ("Brazil promised to host Argentina.", "planned"),
        ("Brazil should condemn Argentina.", "recommended"),
        ("Brazil must engage with Argentina.", "recommended"),
        ("Brazil needs to engage with Argentina.", "recommended"),
        ("Chile alleged that Brazil had attacked Argentina.", "alleged"),
        ("If Brazil attacks Argentina, the region will suffer.", "possible"),
    ],
)
def test_modality(resources: Resources, text: str, expected: str) -> None:
    assert modality_of(resources, text, "brazil", "argentina") == expected


def test_forecast_by_the_author_is_possible_not_planned(resources: Resources) -> None:
    text = "It is safe to bet that Brazil will expand its defense cooperation with Argentina."
    assert modality_of(resources, text, "brazil", "argentina") == "possible"


def test_promised_nominal_is_planned(resources: Resources) -> None:
    text = "Canada's promised delisting of Hamas was delayed."
    assert modality_of(resources, text, "canada", "hamas") == "planned"


def test_prescription_over_a_hedge_is_recommended(resources: Resources) -> None:
    text = "It makes sense for Brazil to consider hosting Argentina."
    assert modality_of(resources, text, "brazil", "argentina") == "recommended"


def test_disputed_accusation_is_asserted_while_its_content_is_alleged(resources: Resources) -> None:
    text = "Chile's fake allegation that Brazil attacked Argentina was widely shared."
    raw = RawInput(doc_id="m", path="m.txt", format="txt", data=text.encode("utf-8"), meta={"published": "2024-05-10"})
    records = build_pipeline(resources, upto="events")(raw)
    found = {(e.source, e.target): e.modality for e in records.events}
    assert found.get(("chile", "brazil")) == "asserted"
    assert found.get(("brazil", "argentina")) == "alleged"
