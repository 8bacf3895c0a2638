"""Which track each designation status belongs to, and whether it is a state or a pending step.

A *track* is one kind of status a designator holds about a designee: the
terrorist listing, recognition, ambassador accreditation, sanctions. Within a
track a *state* holds from the day it began until the next state of the track
begins (listed -> ban suspended -> delisted); a *pending* step (a proposal, a
promise) is open from its date until the next change of state resolves it,
and never replaces the state in force.

Most statuses are read from the ``designations`` rows. The sanctions track
has no designation status: its statuses are read from coded events
(:data:`EVENT_STATUSES`: CAMEO code and modality -> status), so the
designations layer, and its gold, stay as they are.

The tables are checked when this module is imported: a status added to the
model without a track here, or an event status without a kind, is an error,
not a silently flat row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from dyadlens.model import DESIGNATION_STATUSES, MODALITIES

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

#: Every status read from coded events (:data:`EVENT_STATUSES`): its track and role. Same-date
#: order follows the cycle: a threat, the sanctions it announced, a proposal to ease them, the easing.
EVENT_STATUS_KINDS: Mapping[str, StatusKind] = MappingProxyType({
    "sanctions_threatened": StatusKind("sanctions", "pending", 0),
    "sanctioned": StatusKind("sanctions", "state", 1),
    "sanctions_easing_proposed": StatusKind("sanctions", "pending", 2),
    "sanctions_eased": StatusKind("sanctions", "state", 3),
})

_EASING = MappingProxyType({
    "asserted": "sanctions_eased",
    "planned": "sanctions_easing_proposed",
    "possible": "sanctions_easing_proposed",
})

#: The statuses read from coded events, by CAMEO code (exact) and modality; other modalities
#: (negated, recommended, alleged) give no status. Source = designator, target = designee.
EVENT_STATUSES: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "163": MappingProxyType({  # impose embargo, boycott or sanctions
        "asserted": "sanctioned",
        "planned": "sanctions_threatened",
        "possible": "sanctions_threatened",
    }),
    "1312": MappingProxyType({  # threaten to boycott, embargo or sanction
        "asserted": "sanctions_threatened",
        "planned": "sanctions_threatened",
        "possible": "sanctions_threatened",
    }),
    "085": _EASING,  # ease economic sanctions, boycott, embargo
    "081": _EASING,  # ease administrative sanctions: only when no designation explains it
})

#: Codes that the designation rows read first: an event of one of these codes belongs to the
#: listing track (not to :data:`EVENT_STATUSES`) when a designation row was read from it or its
#: cluster, or when the pair holds a listing at all ("suspended the ban" eases a listing).
DESIGNATION_FIRST: frozenset[str] = frozenset({"081"})


def kind_of(status: str) -> StatusKind:
    """The track and role of ``status`` (a designation status or one read from events)."""
    return STATUS_KINDS[status] if status in STATUS_KINDS else EVENT_STATUS_KINDS[status]


def event_status(code: str, modality: str) -> str | None:
    """The status an event of ``code`` and ``modality`` reports, or None when it reports none."""
    return EVENT_STATUSES.get(code, {}).get(modality)


def _check_table() -> None:
    from_events = {status for by_modality in EVENT_STATUSES.values() for status in by_modality.values()}
    missing = (set(DESIGNATION_STATUSES) - set(STATUS_KINDS)) | (from_events - set(EVENT_STATUS_KINDS))
    unknown = (set(STATUS_KINDS) - set(DESIGNATION_STATUSES)) | (set(EVENT_STATUS_KINDS) - from_events)
    unknown |= set(STATUS_KINDS) & set(EVENT_STATUS_KINDS)
    kinds = [*STATUS_KINDS.values(), *EVENT_STATUS_KINDS.values()]
    bad_tracks = {kind.track for kind in kinds} - set(TRACKS)
    bad_modalities = {m for by_modality in EVENT_STATUSES.values() for m in by_modality} - set(MODALITIES)
    bad_codes = DESIGNATION_FIRST - set(EVENT_STATUSES)
    if missing or unknown or bad_tracks or bad_modalities or bad_codes:
        raise ValueError(
            f"status kinds out of step with the model: missing {sorted(missing)}, unknown {sorted(unknown)}, "
            f"tracks not in TRACKS {sorted(bad_tracks)}, modalities not in MODALITIES {sorted(bad_modalities)}, "
            f"designation-first codes without event statuses {sorted(bad_codes)}"
        )


_check_table()
