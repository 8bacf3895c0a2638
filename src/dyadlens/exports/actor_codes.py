"""CAMEO actor codes and known-group codes for the GDELT-style export, from the knowledge base.

A stored actor carries the CAMEO code its KB entry gives (``RUS``, ``IGOUNO``). Most
non-state actors have none there, which left GDELT's ``Actor1Code`` empty for them
(the Taliban on 39 of 180 rows). For such an actor the code is composed from the KB,
the way PETRARCH composes a sector-coded actor: the code of the country it belongs to
(``country`` in the KB), the sector its type stands for (an armed group ``REB``; an
actor that *governs* its country on the event date ``GOV``), and the group's CAMEO
known-group code where dyadlens knows one (``data/cameo_known_groups.tsv``): the
Taliban on a 2024 event is ``AFGGOVTAL``, on a 2003 one ``AFGREBTAL``. A code is
never guessed from the name: an actor with neither a sector nor a known group gets none. An
intergovernmental or non-governmental organisation opens its code with its prefix sector
(``IGO``, ``NGO``) in place of a country.
"""

from __future__ import annotations

from functools import cache
from importlib import resources as importlib_resources

from dyadlens.kb.entities import KbEntity
from dyadlens.kb.knowledge_base import KnowledgeBase
from dyadlens.kb.sectors import GOV, NO_COUNTRY, known_group_code, shipped_sector_codes

#: The CAMEO sector an actor type stands for, when the KB gives the actor no code of its own.
TYPE_SECTORS = {"armed_group": "REB", "government": GOV, "party": "PTY", "media": "MED", "company": "BUS"}
#: Sectors that open a code in place of a country (CAMEO writes ``IGOWHO``, not ``---IGOWHO``).
PREFIX_TYPE_SECTORS = {"igo": "IGO", "igo_body": "IGO", "ngo": "NGO"}


@cache
def known_groups() -> dict[str, str]:
    """KB actor id -> CAMEO known-group code, from the packaged table."""
    text = (importlib_resources.files("dyadlens.exports") / "data" / "cameo_known_groups.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {kb_id.strip(): code.strip() for kb_id, code in rows}


def governs_on(entity: KbEntity, date: str | None) -> bool:
    """Whether the entity governs its country on the (known) date."""
    return date is not None and any(period.overlaps(date) for period in entity.governs)


def composed_code(kb: KnowledgeBase, entity: KbEntity, date: str | None) -> str | None:
    """Country + sector + known group for an entity without a CAMEO code of its own (None when
    the KB says neither its sector nor its group)."""
    group = known_groups().get(entity.id)
    prefix = PREFIX_TYPE_SECTORS.get(entity.type)
    if prefix is not None:
        return prefix + (group or "")
    sector = GOV if governs_on(entity, date) else TYPE_SECTORS.get(entity.type)
    if sector is None and group is None:
        return None
    country = kb.get(entity.country) if entity.country else None
    country_code = (country.cameo or country.iso3) if country is not None else None
    return "".join(part for part in (country_code or NO_COUNTRY, sector, group) if part)


def actor_code(kb: KnowledgeBase | None, actor_id: str | None, stored: str | None, date: str | None) -> str | None:
    """The actor's CAMEO code: the stored one, else the KB's (dated) code, else one composed from the KB."""
    if stored or kb is None or actor_id is None:
        return stored
    entity = kb.get(actor_id)
    if entity is None:
        return None
    return entity.cameo_on(date) or composed_code(kb, entity, date)


def group_code(actor_id: str | None, code: str | None) -> str | None:
    """The known group the code names (``IGOUNO`` -> UNO), else the one dyadlens knows for the actor."""
    return known_group_code(code, shipped_sector_codes()) or known_groups().get(actor_id or "")
