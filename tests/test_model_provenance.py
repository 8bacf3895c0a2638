"""Actor ids that know whether the KB resolved them, and an event's provenance as typed fields."""

from __future__ import annotations

from dyadlens.model import Event, Provenance, is_resolved, is_unresolved, shown_id, unresolved_id


def test_an_unresolved_id_is_made_and_recognised_by_the_model_alone() -> None:
    made = unresolved_id("  Velmora Foundation's ")
    assert made == "unresolved:velmora-foundation-s"
    assert is_unresolved(made) and not is_resolved(made) and shown_id(made) == "velmora-foundation-s"
    assert is_resolved("taliban") and not is_unresolved("taliban") and shown_id("taliban") == "taliban"
    assert not is_resolved(None) and not is_unresolved(None) and not is_resolved("")


def test_provenance_tells_the_steps_and_routes_by_which_the_sides_were_found() -> None:
    hosted = Provenance("gathering", "earlier-host", "participant~collective", "host~earlier")
    assert hosted.via("collective") and hosted.via("earlier") and not hosted.via("host")
    assert hosted.along("earlier-host") and hosted.along("participant") and not hosted.along("subject")
    governed = Provenance("verbs:97", "governing-subject", "subject", "prep-object", "can")
    assert governed.along("governing") and not governed.via("governing")


def test_an_event_keeps_its_provenance_in_fields_of_its_own() -> None:
    event = Event("e", "d", 0, 10, 0, 0, 4, "norway", "sudan", "043", "asserted",
                  entry="verbs:58", route="subject", source_route="subject", target_route="object~agent")
    assert event.provenance == Provenance("verbs:58", "subject", "subject", "object~agent", None)
