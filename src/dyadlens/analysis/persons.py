"""Persons the KB does not know, found through their titles (table ``persons``), grouped by
name and affiliation for review and reuse: a listing, and a KB people file to load with ``--kb``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from dyadlens.model import slug
from dyadlens.store import schema

if TYPE_CHECKING:
    from dyadlens.store import Store


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person as the store's documents name them: the offices seen and where."""

    name: str
    affiliation: str | None
    offices: list[str]
    sectors: str | None
    documents: int
    first: str | None
    last: str | None


def person_table(store: Store) -> list[PersonRow]:
    """Persons by name and affiliation, most documents first (duplicate documents not counted)."""
    persons, documents = schema.persons, schema.documents
    query = (
        sa.select(persons.c.name, persons.c.affiliation, persons.c.office, persons.c.sectors, persons.c.doc_id,
                  sa.func.coalesce(persons.c.date, documents.c.published))
        .join(documents, documents.c.id == persons.c.doc_id)
        .where(documents.c.duplicate_of.is_(None))
    )
    groups: dict[tuple[str, str | None], list[Any]] = defaultdict(list)
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            groups[(row[0], row[1])].append(row)
    rows = [_row(name, affiliation, found) for (name, affiliation), found in groups.items()]
    return sorted(rows, key=lambda r: (-r.documents, r.name.casefold()))


def _row(name: str, affiliation: str | None, found: list[Any]) -> PersonRow:
    dates = sorted(d for *_, d in found if d)
    offices = sorted({r[2] for r in found if r[2]})
    return PersonRow(
        name, affiliation, offices, found[0][3], len({r[4] for r in found}), dates[0] if dates else None,
        dates[-1] if dates else None,
    )


def people_file(rows: list[PersonRow]) -> list[dict[str, Any]]:
    """The persons as KB people entries (docs/kb-format.md) for an analyst to review and load
    with ``--kb``: each role spans the first and last dates the documents give."""
    entries = []
    for row in rows:
        if row.affiliation is None:
            continue
        role: dict[str, Any] = {"actor": row.affiliation, "role": ", ".join(row.offices) or "office"}
        if row.first:
            role["from"] = row.first
        if row.last and row.last != row.first:
            role["until"] = row.last
        entries.append({"id": slug(row.name), "name": row.name, "type": "person", "roles": [role]})
    return entries
