"""Which track each designation status belongs to, and whether it is a state or a pending step.

A *track* is one kind of status a designator holds about a designee: the
terrorist listing, recognition, ambassador accreditation, sanctions. Within a
track a *state* holds from the day it began until the next state of the track
begins (listed -> ban suspended -> delisted); a *pending* step (a proposal, a
promise) is open from its date until the next change of state resolves it,
and never replaces the state in force.

The table is checked against :data:`dyadlens.model.DESIGNATION_STATUSES` when
this module is imported: a status added to the model without a track here is
an error, not a silently flat row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from dyadlens.model import DESIGNATION_STATUSES

Role = Literal["state", "pending"]


@dataclass(frozen=True, slots=True)
class StatusKind:
    """Where one status sits: its track, its role there, and its order among steps of the same date."""

    track: str
    role: Role
    order: int


#: The tracks, in the order the views show them, with a reader's name for each.
TRACKS: Mapping[str, str] = MappingProxyType({
    "listing": "terrorist listing",
    "recognition": "recognition",
    "accreditation": "ambassador accreditation",
    "sanctions": "sanctions",
})

#: Every designation status: its track and role. Same-date order: the standing state first, then
#: proposals and promises, then the changes that resolve them.
STATUS_KINDS: Mapping[str, StatusKind] = MappingProxyType({
    "listed": StatusKind("listing", "state", 0),
    "delisting_proposed": StatusKind("listing", "pending", 1),
    "delisting_promised": StatusKind("listing", "pending", 2),
    "ban_suspended": StatusKind("listing", "state", 3),
    "delisted": StatusKind("listing", "state", 4),
    "recognition_withheld": StatusKind("recognition", "state", 0),
    "recognized": StatusKind("recognition", "state", 1),
    "ambassador_accredited": StatusKind("accreditation", "state", 0),
})


def kind_of(status: str) -> StatusKind:
    """The track and role of ``status`` (one of ``DESIGNATION_STATUSES``)."""
    return STATUS_KINDS[status]


def _check_table() -> None:
    missing = set(DESIGNATION_STATUSES) - set(STATUS_KINDS)
    unknown = set(STATUS_KINDS) - set(DESIGNATION_STATUSES)
    bad_tracks = {kind.track for kind in STATUS_KINDS.values()} - set(TRACKS)
    if missing or unknown or bad_tracks:
        raise ValueError(
            f"status kinds out of step with the model: missing {sorted(missing)}, unknown {sorted(unknown)}, "
            f"tracks not in TRACKS {sorted(bad_tracks)}"
        )


_check_table()
