"""Designation status as a state machine: per (designator, designee) pair, one track per kind of status.

Every stored designation row is a *report*: either of a change (its text gives
a date for it: "listed in 2003", "suspended the ban in April") or an
*observation* that a status holds on the document's date ("still banned by
Moscow": ``Designation.standing``, or a row with no date of its own).

The sanctions track has no designation status: its reports are the pair's
coded events (:func:`event_reports`): an imposition (CAMEO 163), a threat
(1312, or 163 planned/possible), an easing (085, and 081 when no designation
explains it) or a proposal to ease, each real event (an event cluster) with
all its reports, and standing facts ("remains under sanctions") as
observations.

The rows of one pair are split into tracks by :mod:`dyadlens.analysis.status_kinds`
(terrorist listing, recognition, ambassador accreditation, sanctions). Within
a track, change reports are taken in date order and consolidated into
*steps*:

- a report of the state already in force, or of a proposal still pending,
  backs that step; its date refines the step's date when it is more precise
  and consistent ("2003" then "2003-02" -> since 2003-02);
- a report of another state starts a new step and resolves every pending
  proposal or promise;
- an observation backs the step in force on its date (or the latest step
  of its status); it starts a step only when no report dates that status,
  and then the step is known from the observation on (``since`` is None),
  unless the observation also says when the state began (its own date,
  before its document's: "still lists them, a designation imposed in 2003").

:meth:`Track.state_on` is the state in force on a date and
:meth:`Track.pending_on` the proposals open then, never simply the latest
report. ``dyadlens status`` prints them (:func:`pair_status`); the views
show one :class:`StatusEntry` per step (:func:`status_entries`).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from dyadlens.analysis.common import AnalysisContext, Evidence
from dyadlens.analysis.status_kinds import DESIGNATION_FIRST, EVENT_STATUSES, TRACKS, Role, event_status, kind_of
from dyadlens.model import Designation, Document, Event
from dyadlens.partial_dates import PartialDate
from dyadlens.store.queries import EventQuery

if TYPE_CHECKING:
    from dyadlens.kb.knowledge_base import KnowledgeBase


@dataclass(frozen=True, slots=True)
class StatusReport:
    """One stored designation or coded event backing a step: a report of a change, or an observation of a state."""

    designation_id: str | None  # None for a report read from an event (``event_id``)
    status: str
    date: str | None  # the date the text gives for the change (None for an undated statement)
    observed: str | None  # publication date of the reporting document: when an observation was made
    observation: bool  # a statement that the status holds, not a report of its change
    doc_id: str
    outlet: str | None
    title: str | None
    claimant: str | None  # None: the author; else who asserts it
    sentence: str  # the evidence sentence
    start: int
    end: int
    event_id: str | None
    rule: str
    cluster: str | None = None  # the real event a report read from an event belongs to

    @property
    def source(self) -> str:
        """The name a report goes by: its outlet, else its document id."""
        return self.outlet or self.doc_id


@dataclass(frozen=True, slots=True)
class TrackStep:
    """One consolidated step of a track: a state (or a pending proposal) with everything that backs it."""

    designator: str
    designee: str
    track: str
    status: str
    role: Role
    since: str | None  # the most precise date its change reports agree on; None: only observed
    observed_from: str | None  # the first observation of it, when no report dates it
    until: str | None  # when the next state began (a state) or the change that resolved it (pending)
    reports: tuple[StatusReport, ...]
    observations: tuple[StatusReport, ...]

    @property
    def start(self) -> str | None:
        """The date the step counts from: ``since``, else its first observation."""
        return self.since or self.observed_from

    @property
    def current(self) -> bool:
        """Still in force (a state) or still open (pending) after every report the store holds."""
        return self.until is None

    @property
    def backing(self) -> tuple[StatusReport, ...]:
        """Its reports, then its observations, each in date order."""
        return self.reports + self.observations

    @property
    def lead(self) -> StatusReport:
        """The report that gives the step its date (the first observation when no report dates it)."""
        return next((r for r in self.reports if r.date == self.since), self.backing[0])

    @property
    def outlets(self) -> list[str]:
        return sorted({r.source for r in self.backing})

    @property
    def documents(self) -> list[str]:
        return sorted({r.doc_id for r in self.backing})

    def begun_by(self, day: datetime.date) -> bool:
        return self.start is not None and PartialDate.parse(self.start).first_day <= day

    def ended_by(self, day: datetime.date) -> bool:
        return self.until is not None and PartialDate.parse(self.until).first_day <= day

    def as_dict(self) -> dict[str, Any]:
        payload = asdict(self)
        payload.update(start=self.start, current=self.current, outlets=self.outlets, documents=self.documents)
        return payload


@dataclass(frozen=True, slots=True)
class Track:
    """The steps of one kind of status for one pair, in the order they began."""

    designator: str
    designee: str
    track: str
    steps: tuple[TrackStep, ...]

    @property
    def name(self) -> str:
        return TRACKS[self.track]

    def state_on(self, as_of: str) -> TrackStep | None:
        """The state in force on ``as_of`` (by its last day), or None when none had begun."""
        day = PartialDate.parse(as_of).last_day
        begun = [s for s in self.steps if s.role == "state" and s.begun_by(day)]
        return begun[-1] if begun else None

    def pending_on(self, as_of: str) -> list[TrackStep]:
        """The proposals and promises open on ``as_of``: begun, and not yet resolved by a change."""
        day = PartialDate.parse(as_of).last_day
        return [s for s in self.steps if s.role == "pending" and s.begun_by(day) and not s.ended_by(day)]

    def as_dict(self) -> dict[str, Any]:
        return {"track": self.track, "name": self.name, "steps": [step.as_dict() for step in self.steps]}

    def in_force(self) -> TrackStep | None:
        """The state in force after every report (the last state), or None."""
        states = [s for s in self.steps if s.role == "state"]
        return states[-1] if states else None


# --- building the tracks ---------------------------------------------------------


@dataclass
class _Step:
    """A step while its reports are gathered."""

    status: str
    role: Role
    since: PartialDate | None = None
    observed_from: str | None = None
    resolved_by: _Step | None = None
    reports: list[StatusReport] = field(default_factory=list)
    observations: list[StatusReport] = field(default_factory=list)

    def add_report(self, report: StatusReport) -> None:
        """Back the step with a change report; its date refines ``since`` when it lies within it."""
        self.reports.append(report)
        date = PartialDate.parse(report.date) if report.date else None
        if date is not None and (self.since is None or _refines(date, self.since)):
            self.since = date

    def add_observation(self, observation: StatusReport) -> None:
        """Back the step with an observation; one that also says when the state began ("still lists them,
        a designation imposed in 2003") dates the step as a report would."""
        self.observations.append(observation)
        began = _began_before(observation)
        if began is not None and (self.since is None or _refines(began, self.since)):
            self.since = began
            self.observed_from = None

    def start_key(self) -> tuple[bool, datetime.date, int, int]:
        start = self.since or (PartialDate.parse(self.observed_from) if self.observed_from else None)
        if start is None:
            return (True, datetime.date.max, 0, kind_of(self.status).order)
        return (False, start.first_day, _PRECISION_RANK[start.precision], kind_of(self.status).order)


_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


def _began_before(observation: StatusReport) -> PartialDate | None:
    """The observation's own date when it lies wholly before the document's: when the state began."""
    if not observation.date or not observation.observed:
        return None
    date = PartialDate.parse(observation.date)
    return date if date.last_day < PartialDate.parse(observation.observed).first_day else None


def _refines(date: PartialDate, since: PartialDate) -> bool:
    """Whether ``date`` is more precise than ``since`` and lies within it ("2003-02" within "2003")."""
    within = since.first_day <= date.first_day and date.last_day <= since.last_day
    return within and _PRECISION_RANK[date.precision] > _PRECISION_RANK[since.precision]


def build_tracks(designator: str, designee: str, reports: list[StatusReport]) -> list[Track]:
    """The pair's tracks, in the order of :data:`TRACKS`, from its reports and observations."""
    by_track: dict[str, list[StatusReport]] = {}
    for report in reports:
        by_track.setdefault(kind_of(report.status).track, []).append(report)
    return [_track(designator, designee, name, by_track[name]) for name in TRACKS if name in by_track]


def _track(designator: str, designee: str, name: str, reports: list[StatusReport]) -> Track:
    steps: list[_Step] = []
    for report in sorted((r for r in reports if not r.observation), key=_change_order):
        _place_change(steps, report)
    for observation in sorted((r for r in reports if r.observation), key=lambda r: (r.observed or "~", r.doc_id)):
        _place_observation(steps, observation)
    steps.sort(key=_Step.start_key)
    return Track(designator, designee, name, tuple(_freeze(designator, designee, name, steps)))


def _change_order(report: StatusReport) -> tuple[datetime.date, int, int, str, int]:
    date = PartialDate.parse(report.date or "9999")
    return (date.first_day, _PRECISION_RANK[date.precision], kind_of(report.status).order, report.doc_id, report.start)


def _place_change(steps: list[_Step], report: StatusReport) -> None:
    role = kind_of(report.status).role
    if role == "pending":
        step = next((s for s in steps if s.status == report.status and _open(s)), None)
    else:
        states = [s for s in steps if s.role == "state"]
        step = states[-1] if states and states[-1].status == report.status else None
    if step is None:
        step = _Step(report.status, role)
        if role == "state":
            for pending in (s for s in steps if _open(s)):
                pending.resolved_by = step
        steps.append(step)
    step.add_report(report)


def _open(step: _Step) -> bool:
    return step.role == "pending" and step.resolved_by is None


def _place_observation(steps: list[_Step], observation: StatusReport) -> None:
    """Back the step the observation sees in force; start one only when none of its status began before."""
    day = PartialDate.parse(observation.observed).last_day if observation.observed else datetime.date.max
    begun = [s for s in sorted(steps, key=_Step.start_key) if not s.start_key()[0] and s.start_key()[1] <= day]
    in_force = [s for s in begun if s.role == "state"][-1:] + [s for s in begun if _pending_on(s, day)]
    same = [s for s in in_force if s.status == observation.status] or [
        s for s in begun if s.status == observation.status
    ][-1:]
    if same:
        same[0].add_observation(observation)
        return
    step = _Step(observation.status, kind_of(observation.status).role, observed_from=observation.observed)
    step.add_observation(observation)
    steps.append(step)


def _pending_on(step: _Step, day: datetime.date) -> bool:
    if step.role != "pending":
        return False
    resolver = step.resolved_by
    return resolver is None or resolver.start_key()[1] > day


def _freeze(designator: str, designee: str, track: str, steps: list[_Step]) -> list[TrackStep]:
    states = [s for s in steps if s.role == "state"]
    next_state = {id(a): b for a, b in itertools.pairwise(states)}
    return [
        TrackStep(
            designator=designator,
            designee=designee,
            track=track,
            status=step.status,
            role=step.role,
            since=str(step.since) if step.since else None,
            observed_from=step.observed_from if step.since is None else None,
            until=_start(next_state.get(id(step)) if step.role == "state" else step.resolved_by),
            reports=tuple(step.reports),
            observations=tuple(step.observations),
        )
        for step in steps
    ]


def _start(step: _Step | None) -> str | None:
    if step is None:
        return None
    return str(step.since) if step.since else step.observed_from


# --- reading the store --------------------------------------------------------------


def status_tracks(store: Any, designator: str, designee: str) -> list[Track]:
    """The tracks the store's designations and coded events give for the pair (none when it holds none)."""
    rows: list[Designation] = store.designations(designee=designee, designator=designator)
    documents: dict[str, Document | None] = {}
    reports = [_report(row, _document(store, documents, row.doc_id)) for row in rows]
    reports += event_reports(store, designator, designee, rows, documents)
    return build_tracks(designator, designee, reports)


@dataclass(frozen=True, slots=True)
class TrackStatus:
    """One track on a date: the state in force and the proposals still open."""

    track: str
    name: str
    state: TrackStep | None
    pending: list[TrackStep]

    def as_dict(self) -> dict[str, Any]:
        return {
            "track": self.track,
            "name": self.name,
            "state": self.state.as_dict() if self.state else None,
            "pending": [step.as_dict() for step in self.pending],
        }


def status_on(tracks: list[Track], as_of: str) -> list[TrackStatus]:
    """Every track's state in force and open proposals on ``as_of`` (an ISO prefix date)."""
    return [TrackStatus(t.track, t.name, t.state_on(as_of), t.pending_on(as_of)) for t in tracks]


@dataclass(frozen=True, slots=True)
class PairStatus:
    """The status of one pair: its tracks, and, with ``as_of``, what each track says on that date."""

    designator: str
    designator_name: str
    designee: str
    designee_name: str
    as_of: str | None
    tracks: list[Track]
    on: list[TrackStatus] | None  # None without ``as_of``

    def as_dict(self) -> dict[str, Any]:
        return {
            "designator": self.designator,
            "designator_name": self.designator_name,
            "designee": self.designee,
            "designee_name": self.designee_name,
            "as_of": self.as_of,
            "tracks": [track.as_dict() for track in self.tracks],
            "steps": [step.as_dict() for track in self.tracks for step in track.steps],  # every track's, flat
            "on": [status.as_dict() for status in self.on] if self.on is not None else None,
        }


def pair_status(store: Any, kb: KnowledgeBase, designator: str, designee: str, as_of: str | None = None) -> PairStatus:
    """The pair's tracks (and their state on ``as_of``), with the KB names of the pair."""
    tracks = status_tracks(store, designator, designee)
    names = [kb.ref(a).name if kb.get(a) else a for a in (designator, designee)]
    on = status_on(tracks, as_of) if as_of is not None else None
    return PairStatus(designator, names[0], designee, names[1], as_of, tracks, on)


def latest_statuses(
    store: Any, designee: str | None = None, designator: str | None = None, as_of: str | None = None
) -> list[TrackStep]:
    """The state in force (now, or on ``as_of``) on every track of every pair matching the filters."""
    rows: list[Designation] = store.designations(designee=designee, designator=designator)
    pairs = {(r.designator, r.designee) for r in rows} | event_pairs(store, designator, designee)
    found = []
    for a, b in sorted(pairs):
        for track in status_tracks(store, a, b):
            state = track.state_on(as_of) if as_of is not None else track.in_force()
            if state is not None:
                found.append(state)
    return found


def _document(store: Any, cache: dict[str, Document | None], doc_id: str) -> Document | None:
    if doc_id not in cache:
        cache[doc_id] = store.document(doc_id)
    return cache[doc_id]


def _told(document: Document | None, start: int, end: int) -> dict[str, Any]:
    """What a status report takes from the document that tells it: its date, outlet, title and the sentence."""
    if document is None:
        return {"observed": None, "outlet": None, "title": None, "sentence": ""}
    return {"observed": document.published, "outlet": document.outlet, "title": document.title,
            "sentence": " ".join(document.text[start:end].split())}


def _report(row: Designation, document: Document | None) -> StatusReport:
    return StatusReport(
        designation_id=row.id,
        status=row.status,
        date=row.date,
        observation=row.standing or row.date is None,
        doc_id=row.doc_id,
        claimant=row.claimant,
        start=row.start,
        end=row.end,
        event_id=row.event_id,
        rule=row.rule,
        **_told(document, row.start, row.end),
    )


# --- reports read from coded events: the sanctions track -----------------------------------


def event_reports(
    store: Any, designator: str, designee: str, rows: list[Designation], documents: dict[str, Document | None]
) -> list[StatusReport]:
    """The reports the pair's coded events give (:data:`~dyadlens.analysis.status_kinds.EVENT_STATUSES`).

    A clustered act is one real event: every report of its cluster backs it, with the status and date
    the cluster consolidates. A standing fact ("remains under sanctions") is an observation. Rejected
    events never come back from the store; an event the designation rows read first
    (:func:`_designation_first`) is left to its track.
    """
    acts = _status_events(store, source=designator, target=designee, count="events")
    told = store.cluster_reports(e.cluster for e in acts if e.cluster)
    standing = _status_events(store, source=designator, target=designee, standing=True)
    read = [(e, told.get(e.cluster, [e]) if e.cluster else [e]) for e in acts]
    read += [(e, [e]) for e in standing]
    first = _designation_first(rows)
    return [
        _event_report(lead, report, _document(store, documents, report.doc_id))
        for lead, reports in read
        if not first(lead, reports)
        for report in reports
    ]


def _designation_first(rows: list[Designation]) -> Callable[[Event, list[Event]], bool]:
    """Whether an event belongs to the designation rows' track rather than to its event status: one of
    :data:`DESIGNATION_FIRST` with a designation row read from it (or from its cluster), or of a pair
    with a listing ("suspended the ban" eases the listing, not sanctions)."""
    linked = {row.event_id for row in rows if row.event_id}
    listing = any(kind_of(row.status).track == "listing" for row in rows)

    def first(lead: Event, reports: list[Event]) -> bool:
        explained = listing or any(e.id in linked for e in reports)
        return lead.code in DESIGNATION_FIRST and explained

    return first


def _event_report(lead: Event, report: Event, document: Document | None) -> StatusReport:
    """``report`` as a status report, with the status and date of the real event ``lead`` stands for."""
    return StatusReport(
        designation_id=None,
        status=str(event_status(lead.code, lead.modality)),
        date=lead.date,
        observation=report.standing or lead.date is None,
        doc_id=report.doc_id,
        claimant=report.claimant,
        start=report.start,
        end=report.end,
        event_id=report.id,
        rule=f"event:{lead.code}:{lead.modality}",
        cluster=report.cluster,
        **_told(document, report.start, report.end),
    )


def event_pairs(store: Any, designator: str | None = None, designee: str | None = None) -> set[tuple[str, str]]:
    """The (designator, designee) pairs whose coded events give a status (sanctions), within the filters."""
    events = _status_events(store, source=designator, target=designee)
    return {(e.source, e.target) for e in events if e.source and e.target}


def _status_events(store: Any, **query: Any) -> list[Event]:
    """The events matching ``query`` that give a status, read code by code (the store filters by code)."""
    found: list[Event] = []
    for code in EVENT_STATUSES:
        events: list[Event] = store.events(EventQuery(code=code, **query))
        found.extend(e for e in events if event_status(e.code, e.modality) is not None)
    return found


# --- the view rows ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusBacking:
    """One report or observation behind a step, as the views show it."""

    outlet: str
    doc_id: str
    date: str | None
    observed: str | None
    observation: bool
    claimant: str | None
    claimant_name: str | None
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """One step of a pair's track as the views show it: names, dates, sources and the evidence behind it."""

    designator: str
    designator_name: str | None
    designee: str
    designee_name: str | None
    track: str
    track_name: str
    status: str
    role: Role
    since: str | None  # the date the step counts from (its first observation when no report dates it)
    dated: bool  # whether ``since`` is a reported date (else: first observed then)
    until: str | None
    current: bool  # in force (a state) or open (pending) after every report
    outlets: list[str]
    documents: list[str]
    backing: list[StatusBacking]
    evidence: Evidence  # the sentence of the report that dates the step (:attr:`TrackStep.lead`)


def status_entries(ctx: AnalysisContext, designator: str, designee: str) -> list[StatusEntry]:
    """The pair's steps, track by track, each in the order it began."""
    tracks = status_tracks(ctx.store, designator, designee)
    return [_entry(ctx, track, step) for track in tracks for step in track.steps]


def designation_status(ctx: AnalysisContext, actor: str) -> list[StatusEntry]:
    """The tracks of every pair where ``actor`` is the designee or the designator."""
    pairs = {(d.designator, d.designee) for d in ctx.store.designations(designee=actor)}
    pairs |= {(d.designator, d.designee) for d in ctx.store.designations(designator=actor)}
    pairs |= event_pairs(ctx.store, designee=actor) | event_pairs(ctx.store, designator=actor)
    return [entry for a, b in sorted(pairs) for entry in status_entries(ctx, a, b)]


def _entry(ctx: AnalysisContext, track: Track, step: TrackStep) -> StatusEntry:
    backing = [_backing(ctx, report) for report in step.backing]
    lead = step.backing.index(step.lead)
    return StatusEntry(
        designator=step.designator,
        designator_name=ctx.actor_name(step.designator),
        designee=step.designee,
        designee_name=ctx.actor_name(step.designee),
        track=track.track,
        track_name=track.name,
        status=step.status,
        role=step.role,
        since=step.start,
        dated=step.since is not None,
        until=step.until,
        current=step.current,
        outlets=step.outlets,
        documents=step.documents,
        backing=backing,
        evidence=backing[lead].evidence,
    )


def _backing(ctx: AnalysisContext, report: StatusReport) -> StatusBacking:
    return StatusBacking(
        outlet=report.source,
        doc_id=report.doc_id,
        date=report.date,
        observed=report.observed,
        observation=report.observation,
        claimant=report.claimant,
        claimant_name=ctx.actor_name(report.claimant),
        evidence=ctx.sentence_evidence(report.doc_id, report.start, report.end, None),
    )
