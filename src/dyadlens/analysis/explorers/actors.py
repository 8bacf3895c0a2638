"""``/actors``: every actor the documents name (states, organisations, armed groups, persons and the
names the knowledge base does not know), faceted by type and by whether the KB knows it, with its
reports, quotes and mentions counted in SQL.

Actors are the ``actors`` table's ids (one row per document naming them, grouped by id); persons are
the ``person`` of the mentions acting for an actor (a KB person, or a name found through its title),
of type ``person``. The counts are read off the per-actor totals (``summary_actors``, kept on write by
:mod:`dyadlens.store.actor_summaries`): one row per actor, for the page and for sorting by a count. Inside
``summaries.bypassed()`` they are counted from the records: ``GROUP BY`` statements over the page's ids,
and for sorting the same count as a correlated subquery that the ``actor_id``/``source``/``target`` indexes
answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select, union_all

from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.explorers.base import (
    COUNT_BOUND,
    EXPLORER_PAGE,
    FacetColumn,
    Listing,
    TableExplorer,
    csv_text,
    distinct_values,
    explore_table,
)
from dyadlens.analysis.person_side import person_names, quote_counts
from dyadlens.model import UNRESOLVED_PREFIX
from dyadlens.store import schema
from dyadlens.store.summaries import in_use

A, M, E, Q, SA = schema.actors, schema.mentions, schema.events, schema.quotes, schema.summary_actors

#: The columns of ``/actors.csv``, in order.
CSV_COLUMNS = ("id", "name", "type", "resolved", "reports", "quotes", "mentions")


def _unresolved(column: ColumnElement[str]) -> ColumnElement[bool]:
    """:func:`dyadlens.model.is_unresolved` as SQL: the id of a name the KB does not know."""
    return column.startswith(UNRESOLVED_PREFIX, autoescape=True)


def _everyone() -> Any:
    """One row per actor id and per person id: name (a stored one; a person's id), type, resolved.

    The ids are found by index seeks (:func:`distinct_values`), and each actor's name, type and
    whether the KB knows it read from one of its rows, so that the list costs a few thousand seeks
    whatever the number of documents naming the actors."""
    actor_ids, person_ids = distinct_values(A.c.id, "actor_ids"), distinct_values(M.c.person, "person_ids")

    def stored(column: ColumnElement[Any]) -> Any:
        return select(column).where(A.c.id == actor_ids.c.value).limit(1).scalar_subquery()

    actors = select(actor_ids.c.value.label("id"), stored(A.c.name).label("name"), stored(A.c.type).label("type"),
                    case((stored(A.c.resolved).is_(True), 1), else_=0).label("resolved")
                    ).where(actor_ids.c.value.is_not(None))
    persons = select(person_ids.c.value.label("id"), person_ids.c.value.label("name"), literal("person").label("type"),
                     case((_unresolved(person_ids.c.value), 0), else_=1).label("resolved")
                     ).where(person_ids.c.value.is_not(None))
    return union_all(actors, persons).subquery("everyone")


def _kept(column: str, actor: ColumnElement[str]) -> Any:
    """The actor's kept total (0 when the summary has no row for it)."""
    return func.coalesce(select(SA.c[column]).where(SA.c.actor == actor).scalar_subquery(), 0)


def _mentions_of(actor: ColumnElement[str]) -> Any:
    """A mention names an actor through its ``actor_id``, a person through its ``person``: two index counts."""
    if in_use():
        return _kept("named", actor)
    as_actor = select(func.count()).where(M.c.actor_id == actor).scalar_subquery()
    return as_actor + select(func.count()).where(M.c.person == actor).scalar_subquery()


def _reports_of(actor: ColumnElement[str]) -> Any:
    """The event reports with the actor as source, plus those with it as target: two index counts."""
    if in_use():
        return _kept("reports", actor)
    as_source = select(func.count()).where(E.c.source == actor).scalar_subquery()
    return as_source + select(func.count()).where(E.c.target == actor).scalar_subquery()


def _explorer() -> TableExplorer:
    everyone = _everyone()
    return TableExplorer(
        key=everyone.c.id,
        source=everyone,
        facets=(
            FacetColumn("type", "Type", everyone.c.type),
            FacetColumn("known", "Knowledge base",
                        case((everyone.c.resolved == 1, "known"), else_="unresolved")),
        ),
        sorts={
            "name": [everyone.c.name, everyone.c.id],
            "mentions": [_mentions_of(everyone.c.id), everyone.c.id],
            "reports": [_reports_of(everyone.c.id), everyone.c.id],
        },
        columns=[everyone.c.id, everyone.c.name, everyone.c.type, everyone.c.resolved],
    )


#: The filters of ``/actors`` (its facets).
ACTOR_FILTERS = _explorer().parameters


@dataclass(frozen=True, slots=True)
class ActorEntry:
    id: str
    name: str
    type: str
    resolved: bool
    reports: int  # event reports with it as source, plus those with it as target (duplicates included)
    quotes: int  # quotes by a speaker acting for it; a person's: by a speaker its name names
    mentions: int


def explore_actors(ctx: AnalysisContext, filters: dict[str, str | None], *, sort: str = "name",
                   limit: int | None = EXPLORER_PAGE, offset: int = 0,
                   with_facets: bool = True, bound: int | None = COUNT_BOUND) -> Listing[ActorEntry]:
    """One page of the actors matching ``filters`` (facet values by parameter), sorted by ``sort``."""
    page = explore_table(ctx, _explorer(), filters, sort, limit=limit, offset=offset, with_facets=with_facets,
                         bound=bound)
    ids = [row.id for row in page.rows]
    ctx.load_names(ids)
    counts = _counts(ctx, ids)
    counts["quotes"].update(_person_quotes(ctx, [r for r in page.rows if r.type == "person"]))
    rows = [ActorEntry(r.id, ctx.actor_name(r.id) or r.name, r.type, bool(r.resolved),
                       *(counts[kind].get(r.id, 0) for kind in ("reports", "quotes", "mentions"))) for r in page.rows]
    return page.listing(rows)


def _counts(ctx: AnalysisContext, ids: list[str]) -> dict[str, dict[str, int]]:
    """Reports, quotes and mentions of the page's actors, a ``GROUP BY`` each."""
    if not ids:
        return {"reports": {}, "quotes": {}, "mentions": {}}
    if in_use():
        kept = ctx.store.read(select(SA.c.actor, SA.c.reports, SA.c.quotes, SA.c.named).where(SA.c.actor.in_(ids)))
        return {kind: {row.actor: int(row[n]) for row in kept} for n, kind in enumerate(("reports", "quotes",
                                                                                            "mentions"), 1)}
    source = _grouped(ctx, E.c.source, E.c.source.in_(ids))
    target = _grouped(ctx, E.c.target, E.c.target.in_(ids))
    by_actor = _grouped(ctx, M.c.actor_id, M.c.actor_id.in_(ids))
    by_person = _grouped(ctx, M.c.person, M.c.person.in_(ids))
    return {
        "reports": {a: source.get(a, 0) + target.get(a, 0) for a in ids},
        "quotes": _grouped(ctx, Q.c.speaker_actor, Q.c.speaker_actor.in_(ids)),
        "mentions": {a: by_actor.get(a, 0) + by_person.get(a, 0) for a in ids},
    }


def _person_quotes(ctx: AnalysisContext, persons: list[Any]) -> dict[str, int]:
    """A person's quotes are not kept by actor (a quote acts for the actor its speaker stands for):
    counted as the person's page counts them, by the names its speakers may carry, for the shown rows."""
    if not persons:
        return {}
    names = {row.id: person_names(ctx.kb.get(row.id) if ctx.kb is not None else None,
                                  ctx.actor_name(row.id) or row.name) for row in persons}
    return quote_counts(ctx, names)


def _grouped(ctx: AnalysisContext, column: ColumnElement[str], *where: ColumnElement[bool]) -> dict[str, int]:
    return {str(v): int(n) for v, n in ctx.store.read(select(column, func.count()).where(*where).group_by(column))}


def actors_csv(rows: list[ActorEntry]) -> str:
    """The rows shown, as CSV with a header line."""
    return csv_text(CSV_COLUMNS, ([r.id, r.name, r.type, "yes" if r.resolved else "no", r.reports, r.quotes,
                                   r.mentions] for r in rows))
