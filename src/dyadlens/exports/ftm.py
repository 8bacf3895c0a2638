"""Actors, documents and events as FollowTheMoney entities, one JSON object per line.

Actors become ``Person``, ``PublicBody`` (states, governments, IGO bodies),
``Organization`` (armed groups, parties, IGOs, media, think tanks...) or
``LegalEntity`` (anything else); documents become ``Article``; each event an
``Event`` whose ``organizer`` is the source actor, ``involved`` both actors,
``proof`` the article, ``summary`` the evidence sentence and ``recordId`` the
dyadlens event id; each designation about a list or a ban (listing,
delisting, suspended ban) a ``Sanction`` on the designee with the designator
as ``authority``, and each recognition or accreditation an ``UnknownLink``
from the designator to the designee whose ``role`` names the act (FtM has no
schema for them; :data:`DIPLOMATIC_ROLES` says why this one). Every
entity is validated by ``followthemoney`` before it is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from followthemoney import model
from followthemoney.exc import InvalidData

from dyadlens.analysis.common import AnalysisContext, DesignationRow, EventRow, check_modalities
from dyadlens.errors import DyadlensError
from dyadlens.model import ActorRef
from dyadlens.store import EventQuery

PUBLIC_BODIES = frozenset({"state", "government", "igo_body"})
ORGANIZATIONS = frozenset(
    {"armed_group", "movement", "party", "media", "think_tank", "igo", "ngo", "company", "organization"}
)
PREFIX = "dyadlens"


def actor_schema(actor_type: str) -> str:
    if actor_type == "person":
        return "Person"
    if actor_type in PUBLIC_BODIES:
        return "PublicBody"
    if actor_type in ORGANIZATIONS:
        return "Organization"
    return "LegalEntity"


def _validated(entity: Any) -> dict[str, Any]:
    data: dict[str, Any] = entity.to_dict()
    try:
        entity.schema.validate(data)
    except InvalidData as error:
        raise DyadlensError(f"FtM {entity.schema.name} {entity.id} is not valid: {error}") from error
    return data


def actor_entity(ctx: AnalysisContext, actor: ActorRef) -> dict[str, Any]:
    entity = model.make_entity(actor_schema(actor.type))
    entity.make_id(PREFIX, "actor", actor.id)
    entity.add("name", actor.name)
    kb_entity = ctx.kb.get(actor.id) if ctx.kb is not None else None
    if kb_entity is not None:
        entity.add("alias", list(kb_entity.aliases))
    if actor.qid:
        entity.add("wikidataId", actor.qid)
    entity.add("notes", f"dyadlens actor id: {actor.id}" + ("" if actor.resolved else " (unresolved)"))
    return _validated(entity)


def document_entity(ctx: AnalysisContext, doc_id: str) -> dict[str, Any]:
    document = ctx.require_document(doc_id)
    entity = model.make_entity("Article")
    entity.make_id(PREFIX, "document", doc_id)
    entity.add("title", document.title or doc_id)
    entity.add("fileName", document.path)
    entity.add("publisher", document.outlet)
    entity.add("author", document.author)
    entity.add("publishedAt", document.published)
    entity.add("sourceUrl", document.url)
    entity.add("contentHash", document.content_hash or None)
    entity.add("notes", f"dyadlens document id: {doc_id}")
    return _validated(entity)


def _actor_id(actor_id: str) -> str:
    return str(model.make_entity("LegalEntity").make_id(PREFIX, "actor", actor_id))


def _add_evidence(entity: Any, row: EventRow | DesignationRow, what: str) -> None:
    """Summary, description, proof, record id and publisher: what the record says and where it stands."""
    claimed = f"; claimed by {row.claimant}" if row.claimant else ""
    entity.add("summary", row.evidence.text)
    entity.add("description", f"{what}; evidence {row.doc_id} [{row.evidence.start}:{row.evidence.end}]{claimed}")
    entity.add("proof", model.make_entity("Article").make_id(PREFIX, "document", row.doc_id))
    entity.add("recordId", row.id)
    entity.add("publisher", row.outlet)


def event_entity(row: EventRow) -> dict[str, Any]:
    entity = model.make_entity("Event")
    entity.make_id(PREFIX, "event", row.id)
    entity.add("name", f"{row.source_name or '?'} → {row.target_name or '?'}: {row.code_name} ({row.code})")
    entity.add("date", row.date)
    _add_evidence(entity, row, f"CAMEO {row.code} ({row.code_name}); modality {row.modality}")
    entity.add("keywords", [f"cameo:{row.code}", f"quad:{row.quad_class}", f"modality:{row.modality}"])
    if row.source:
        entity.add("organizer", _actor_id(row.source))
    entity.add("involved", [_actor_id(a) for a in (row.source, row.target) if a])
    entity.add("sourceUrl", row.url)
    return _validated(entity)


#: Designations about a list or a ban: FtM ``Sanction`` entities.
SANCTION_STATUSES = frozenset({"listed", "delisting_proposed", "delisting_promised", "delisted", "ban_suspended"})
#: Diplomatic acts between two actors, as the ``role`` of an ``UnknownLink`` (designator -> designee).
#: FtM has no schema for recognition or accreditation: ``Representation`` is an agent acting for a
#: client (the ambassador, whom the record does not name, for the sending state), ``Membership`` and
#: ``Directorship`` are about belonging to an organisation; ``UnknownLink`` keeps both sides, the
#: direction, the date and the evidence, and says in ``role`` what the link is.
DIPLOMATIC_ROLES = {
    "recognized": "recognizes",
    "recognition_withheld": "withholds recognition of",
    "ambassador_accredited": "accredits an ambassador of",
}


def designation_entity(row: DesignationRow) -> dict[str, Any]:
    """A listing, delisting or ban as a ``Sanction``; a recognition or accreditation as an ``UnknownLink``."""
    if row.status in DIPLOMATIC_ROLES:
        return diplomatic_link_entity(row)
    entity = model.make_entity("Sanction")
    entity.make_id(PREFIX, "designation", row.id)
    entity.add("entity", _actor_id(row.designee))
    entity.add("authority", row.designator_name or row.designator)
    entity.add("status", row.status.replace("_", " "))
    entity.add("date", row.date)
    if row.status == "listed":
        entity.add("listingDate", row.date)
    _add_evidence(entity, row, f"{row.designator_name} -> {row.designee_name}: {row.status}")
    return _validated(entity)


def diplomatic_link_entity(row: DesignationRow) -> dict[str, Any]:
    """Recognition or accreditation: ``UnknownLink`` from the designator (subject) to the designee (object)."""
    entity = model.make_entity("UnknownLink")
    entity.make_id(PREFIX, "designation", row.id)
    entity.add("subject", _actor_id(row.designator))
    entity.add("object", _actor_id(row.designee))
    entity.add("role", DIPLOMATIC_ROLES[row.status])
    entity.add("status", row.status.replace("_", " "))
    entity.add("date", row.date)
    _add_evidence(entity, row, f"{row.designator_name} -> {row.designee_name}: {row.status}")
    return _validated(entity)


def ftm_entities(ctx: AnalysisContext, modalities: tuple[str, ...] | None = None,
                 since: str | None = None, until: str | None = None) -> Iterator[dict[str, Any]]:
    """Actors, documents, events, then designations (actors and documents only as referred to)."""
    query = EventQuery(modalities=check_modalities(modalities), since=since, until=until)
    rows = ctx.event_rows(ctx.store.events(query))
    designations = [ctx.designation_row(d) for d in ctx.store.designations(since=since, until=until)]
    actor_ids = {a for r in rows for a in (r.source, r.target) if a}
    actor_ids |= {a for d in designations for a in (d.designator, d.designee)}
    for actor_id in sorted(actor_ids):
        actor = ctx.store.actor(actor_id) or ActorRef(
            actor_id, ctx.actor_name(actor_id) or actor_id, "unknown", resolved=False
        )
        yield actor_entity(ctx, actor)
    for doc_id in sorted({r.doc_id for r in rows} | {d.doc_id for d in designations}):
        yield document_entity(ctx, doc_id)
    for row in rows:
        yield event_entity(row)
    for designation in designations:
        yield designation_entity(designation)


def write_ftm(ctx: AnalysisContext, out: IO[str], modalities: tuple[str, ...] | None = None,
              since: str | None = None, until: str | None = None) -> int:
    """Write the entities as JSON lines to ``out``; returns how many were written."""
    count = 0
    for entity in ftm_entities(ctx, modalities, since, until):
        out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
