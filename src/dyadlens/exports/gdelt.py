"""Events as a GDELT 2.0-compatible table, plus dyadlens's evidence columns.

Tab-separated UTF-8 with a header row. The first 61 columns are the GDELT 2.0
Event table's, in GDELT's order, filled where dyadlens has the data and empty
otherwise; after them come the evidence columns (:data:`EVIDENCE_COLUMNS`).
Each row is one real event (``count="events"``, the default): the lead report's
evidence, the cluster's consolidated code, modality and date, and GDELT's counts
of it: ``NumMentions`` its reports, ``NumArticles`` its documents,
``NumSources`` its outlets. Standing facts are not events and are left out.
``count="reports"`` writes one row per report (counts 1), standing facts
included and marked. Dates are never invented: ``SQLDATE`` is filled only
for day-precise event dates, ``MonthYear`` for month-precise ones and
``date_precision`` says which; ``DATEADDED`` is the publication date of the
lead report's document, the date to fall back on when ``SQLDATE`` is empty. Column by column: ``docs/exports.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from importlib import resources as importlib_resources
from typing import IO

from dyadlens.analysis.common import AnalysisContext, EventPlace, EventRow, check_modalities, sort_rows
from dyadlens.exports.actor_codes import actor_code, group_code
from dyadlens.exports.csv_safety import csv_line
from dyadlens.geo.gazetteer import gdelt_adm1_code, load_countries
from dyadlens.kb.sectors import code_parts, shipped_sector_codes
from dyadlens.model import ActorRef
from dyadlens.partial_dates import PartialDate
from dyadlens.store import EventQuery, check_count

EVIDENCE_COLUMNS = (
    "event_id",
    "doc_id",
    "sentence_index",
    "sentence_start",
    "sentence_end",
    "trigger_start",
    "trigger_end",
    "evidence_text",
    "modality",
    "claimant",
    "event_date",
    "date_precision",
    "published",
    "outlet",
    "place_words",  # the words of the text that place the event (ActionGeo), and their offsets
    "place_start",
    "place_end",
    "kind",  # event | observation (a standing fact: counting reports only)
    "cluster",  # the real event a report belongs to (dyadlens.identity)
)
DELIMITER = "\t"


def gdelt_columns() -> list[str]:
    """The GDELT 2.0 Event table column names, from the packaged list."""
    text = (importlib_resources.files("dyadlens.exports") / "data" / "gdelt2_event_columns.tsv").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def date_fields(date: str | None) -> dict[str, object]:
    """GDELT's date columns, each filled only when the date is that precise (a date is never invented)."""
    if not date:
        return {"date_precision": "none"}
    when = PartialDate.parse(date)
    compact = str(when).replace("-", "")
    return {
        "SQLDATE": compact if when.day else "",
        "MonthYear": compact[:6] if when.month else "",
        "Year": compact[:4],
        "FractionDate": f"{when.year_fraction():.4f}",
        "date_precision": when.precision,
    }


def global_event_id(event_id: str) -> int:
    """A stable 60-bit integer from the event's hex id (GDELT ids are integers); an id that is not
    hex (one written by another tool) is hashed first."""
    try:
        return int(event_id[:15], 16)
    except ValueError:
        return int(hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:15], 16)


def _side_fields(ctx: AnalysisContext, actors: Mapping[str, ActorRef], prefix: str, actor_id: str | None,
                 name: str | None, sectors: str | None, date: str | None) -> dict[str, object]:
    """One side's columns, its code the actor's own (the KB's), else the KB's dated one or one
    composed from the KB (:mod:`dyadlens.exports.actor_codes`)."""
    actor = actors.get(actor_id) if actor_id else None
    code = actor_code(ctx.kb, actor_id, actor.cameo if actor is not None else None, date)
    return _actor_fields(prefix, actor, name, sectors, code)


def _actor_fields(prefix: str, actor: ActorRef | None, name: str | None, sectors: str | None,
                  code: str | None = None) -> dict[str, object]:
    """One side's columns: its code (``code``, else the actor's), name, country, up to three type
    (sector) codes, the sectors the text gives this side first, then those in the actor's code, and
    the known group its code names (``IGOUNO`` -> UNO) or the KB knows for it."""
    if actor is None and name is None:
        return {}
    cameo = code or (actor.cameo if actor is not None else None)
    fields: dict[str, object] = {f"{prefix}Name": name or (actor.name if actor else "")}
    types = (sectors or "").split()
    if cameo:
        fields[f"{prefix}Code"] = cameo
        sector_codes = shipped_sector_codes()
        types.extend(p for p in code_parts(cameo) if p in sector_codes and p not in types)
    group = group_code(actor.id if actor is not None else None, cameo)
    if group:
        fields[f"{prefix}KnownGroupCode"] = group
    for n, type_code in enumerate(types[:3], start=1):
        fields[f"{prefix}Type{n}Code"] = type_code
    if actor is not None and actor.iso3:
        fields[f"{prefix}CountryCode"] = actor.iso3
    return fields


def date_added(published: str | None) -> str:
    """GDELT's DATEADDED (``YYYYMMDDHHMMSS``) from the document's publication date: filled only for a
    day-precise publication date; the time is midnight when the date gives none."""
    digits = "".join(c for c in (published or "")[:19] if c.isdigit())
    return (digits + "000000")[:14] if len(digits) >= 8 else ""


#: GDELT's ActionGeo_Type for a place known to each precision, outside the United States and in it.
#: GDELT's geographic types. GDELT has none for a world region or a site (a venue, a district the
#: gazetteer lacks): their type is left empty, their country (when the text gives one) still filled.
GEO_TYPES = {"region": "", "country": 1, "admin1": 5, "city": 4, "site": ""}
US_GEO_TYPES = {"region": "", "country": 1, "admin1": 2, "city": 3, "site": ""}


def _place_fields(place: EventPlace | None) -> dict[str, object]:
    """Where the event happened, as GDELT's ActionGeo columns (empty when the text does not say).

    GDELT's forms: the country as its FIPS 10-4 code, the region as FIPS country code and
    GeoNames admin-1 code (``AF13``), the full name as "place, country". dyadlens's own
    fields keep ISO3 (``events --json``).
    """
    if place is None:
        return {}
    country = load_countries().get(place.country or "")
    types = US_GEO_TYPES if place.country == "USA" else GEO_TYPES
    names = (place.name, country.name if country is not None else place.country)
    return {
        "ActionGeo_Type": types.get(place.precision, ""),
        "ActionGeo_FullName": ", ".join(dict.fromkeys(p for p in names if p)),
        "ActionGeo_CountryCode": country.fips if country is not None else "",
        "ActionGeo_ADM1Code": gdelt_adm1_code(country, place.admin1),
        "ActionGeo_Lat": "" if place.lat is None else place.lat,
        "ActionGeo_Long": "" if place.lon is None else place.lon,
    }


def gdelt_row(ctx: AnalysisContext, row: EventRow, actors: Mapping[str, ActorRef] | None = None) -> dict[str, object]:
    """One event as a GDELT row (a dict keyed by column name); ``actors`` holds its actors when they
    were read at once for many rows (:meth:`AnalysisContext.actor_refs`)."""
    if actors is None:
        actors = ctx.actor_refs((row.source, row.target))
    fields: dict[str, object] = {
        "GLOBALEVENTID": global_event_id(row.id),
        **date_fields(row.date),
        "IsRootEvent": 1 if row.evidence.sentence_index == 0 else 0,
        "EventCode": row.code,
        "EventBaseCode": row.code[:3],
        "EventRootCode": row.root,
        "QuadClass": row.quad_class if row.quad_class is not None else "",
        "GoldsteinScale": row.goldstein if row.goldstein is not None else "",
        **_count_fields(row),
        "DATEADDED": date_added(row.published),
        "SOURCEURL": row.url or "",
    }
    fields.update(_side_fields(ctx, actors, "Actor1", row.source, row.source_name, row.source_sectors, row.date))
    fields.update(_side_fields(ctx, actors, "Actor2", row.target, row.target_name, row.target_sectors, row.date))
    fields.update(_place_fields(row.place))
    fields.update({
        "event_id": row.id,
        "doc_id": row.doc_id,
        "sentence_index": row.evidence.sentence_index,
        "sentence_start": row.evidence.start,
        "sentence_end": row.evidence.end,
        "trigger_start": row.trigger_start,
        "trigger_end": row.trigger_end,
        "evidence_text": row.evidence.text,
        "modality": row.modality,
        "claimant": row.claimant or "",
        "event_date": row.date or "",
        "published": row.published or "",
        "outlet": row.outlet or "",
        "place_words": row.place.evidence.text if row.place and row.place.evidence else "",
        "place_start": row.place.evidence.start if row.place and row.place.evidence else "",
        "place_end": row.place.evidence.end if row.place and row.place.evidence else "",
        "kind": row.kind,
        "cluster": row.cluster or "",
    })
    return fields


def _count_fields(row: EventRow) -> dict[str, object]:
    """GDELT's counts of an event: its reports (NumMentions), outlets (NumSources) and documents
    (NumArticles); a row of one report counts 1 of each."""
    counts = row.counts
    if counts is None:
        return {"NumMentions": 1, "NumSources": 1, "NumArticles": 1}
    return {"NumMentions": counts.reports, "NumSources": counts.outlets, "NumArticles": counts.documents}


def gdelt_rows(ctx: AnalysisContext, modalities: tuple[str, ...] | None = None, since: str | None = None,
               until: str | None = None, count: str = "events") -> Iterator[dict[str, object]]:
    query = EventQuery(modalities=check_modalities(modalities), since=since, until=until, count=check_count(count))
    rows = sort_rows(ctx.counted_rows(ctx.store.events(query), count))
    actors = ctx.actor_refs(actor for row in rows for actor in (row.source, row.target))
    for row in rows:
        yield gdelt_row(ctx, row, actors)


def write_gdelt(ctx: AnalysisContext, out: IO[str], modalities: tuple[str, ...] | None = None,
                since: str | None = None, until: str | None = None, count: str = "events") -> int:
    """Write the table to ``out``; returns the number of rows (events, or reports: ``count``)."""
    columns = gdelt_columns() + list(EVIDENCE_COLUMNS)
    out.write(csv_line(columns, DELIMITER, "\n"))
    written = 0
    for row in gdelt_rows(ctx, modalities, since, until, count):
        out.write(csv_line((row.get(column, "") for column in columns), DELIMITER, "\n"))
        written += 1
    return written
