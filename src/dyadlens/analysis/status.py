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

import dataclasses
import datetime
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from dyadlens.analysis.common import AnalysisContext, Evidence, Window, check_window
from dyadlens.analysis.status_kinds import TRACKS, Role, kind_of
from dyadlens.analysis.status_reads import (
    Sides,
    designation_pairs,
    event_pairs,
    evidence,
    report_key,
    reports_by_pair,
    sentences,
)
from dyadlens.analysis.status_reads import (
    StatusReport as StatusReport,  # re-exported: the reports the tracks are built from
)
from dyadlens.partial_dates import PartialDate

if TYPE_CHECKING:
    from dyadlens.kb.knowledge_base import KnowledgeBase


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
    #: :meth:`start_key` as last computed, with the ``since`` and ``observed_from`` it was computed from.
    _keyed: tuple[PartialDate | None, str | None, tuple[bool, datetime.date, int, int]] | None = field(
        default=None, repr=False, compare=False)

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
        """Undated last, then by the first day and precision of the start, then the status's same-date order;
        kept until ``since`` or ``observed_from`` changes (each observation placed sorts every step)."""
        if self._keyed is None or self._keyed[0] is not self.since or self._keyed[1] != self.observed_from:
            self._keyed = (self.since, self.observed_from, self._start_key())
        return self._keyed[2]

    def _start_key(self) -> tuple[bool, datetime.date, int, int]:
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
    keyed = sorted(((s.start_key(), n, s) for n, s in enumerate(steps)), key=lambda k: k[:2])
    begun = [s for key, _, s in keyed if not key[0] and key[1] <= day]
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


def status_tracks(store: Any, designator: str, designee: str, shown: int | None = None) -> list[Track]:
    """The tracks the store's designations and coded events give for the pair (none when it holds none),
    with the sentence of every report (``shown`` None), or of each step's lead and first ``shown`` reports."""
    return with_sentences(store, _pair_tracks(store, designator, designee), shown)


def _pair_tracks(store: Any, designator: str, designee: str) -> list[Track]:
    reports = reports_by_pair(store, Sides(designator=designator, designee=designee))
    return build_tracks(designator, designee, reports.get((designator, designee), []))


def _tracks_of_pairs(store: Any, sides: Sides) -> Iterator[Track]:
    """The tracks of every pair within ``sides`` (pairs in order), from one read of all their reports."""
    pairs = designation_pairs(store, sides) | event_pairs(store, sides)
    by_pair = reports_by_pair(store, sides)
    for a, b in sorted(pairs):
        yield from build_tracks(a, b, by_pair.get((a, b), []))


def with_sentences(store: Any, tracks: list[Track], shown: int | None = None) -> list[Track]:
    """``tracks`` with the sentences of their reports read (one statement per few hundred reports): every
    report's (``shown`` None), else each step's lead and its first ``shown`` backing reports."""
    wanted = [r for track in tracks for step in track.steps for r in _shown(step, shown)]
    words = sentences(store, wanted)
    return [dataclasses.replace(track, steps=tuple(_worded(step, words) for step in track.steps)) for track in tracks]


def _shown(step: TrackStep, shown: int | None) -> tuple[StatusReport, ...]:
    return step.backing if shown is None else (step.lead, *step.backing[:shown])


def _worded(step: TrackStep, words: dict[tuple[str, str], str]) -> TrackStep:
    def worded(reports: tuple[StatusReport, ...]) -> tuple[StatusReport, ...]:
        return tuple(dataclasses.replace(r, sentence=words[report_key(r)]) if report_key(r) in words else r
                     for r in reports)

    return dataclasses.replace(step, reports=worded(step.reports), observations=worded(step.observations))


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
    found = []
    for track in _tracks_of_pairs(store, Sides(designator=designator, designee=designee)):
        state = track.state_on(as_of) if as_of is not None else track.in_force()
        if state is not None:
            found.append(state)
    words = sentences(store, [r for step in found for r in step.backing])
    return [_worded(step, words) for step in found]


# --- the view rows ---------------------------------------------------------------

#: Reports a view shows behind each step besides its count (the lead is always shown).
SHOWN_BACKING = 10
#: Steps an actor's status lists: the first, pair by pair.
STATUS_LISTED = 50
#: Steps a page of a dyad's status shows (the steps in force first, then the latest): within four screens.
STATUS_SHOWN = 10


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
    backing: list[StatusBacking]  # the first SHOWN_BACKING of its reports and observations
    evidence: Evidence  # the sentence of the report that dates the step (:attr:`TrackStep.lead`)
    backing_total: int = 0  # every report and observation behind it
    first_seen: str | None = None  # the earliest and latest publication dates of those
    last_seen: str | None = None


def status_entries(ctx: AnalysisContext, designator: str, designee: str) -> list[StatusEntry]:
    """The pair's steps, track by track, each in the order it began."""
    return _entries(ctx, _pair_tracks(ctx.store, designator, designee))


def dyad_status(ctx: AnalysisContext, a: str, b: str) -> list[StatusEntry]:
    """The steps of the pair ``a``–``b`` and then of ``b``–``a`` (:func:`status_entries` of each), from one
    read of the reports of both."""
    return _entries(ctx, _dyad_tracks(ctx, a, b))


def _dyad_tracks(ctx: AnalysisContext, a: str, b: str) -> list[Track]:
    """The tracks of the pair ``a``–``b``, then of ``b``–``a``, from one read of the reports of both."""
    reports = reports_by_pair(ctx.store, Sides(between=(a, b)))
    return [track for x, y in ((a, b), (b, a)) for track in build_tracks(x, y, reports.get((x, y), []))]


def dyad_status_steps(ctx: AnalysisContext, a: str, b: str, keep: Callable[[TrackStep], bool]) -> list[StatusEntry]:
    """The steps of :func:`dyad_status` that ``keep`` accepts, in its order, the evidence read for those only
    (the brief: the steps in force and those begun in its period)."""
    return entries_of(ctx, [(track, step) for track, step in _steps(_dyad_tracks(ctx, a, b)) if keep(step)])


def dyad_status_page(ctx: AnalysisContext, a: str, b: str, limit: int = STATUS_SHOWN,
                     offset: int = 0) -> tuple[list[StatusEntry], Window]:
    """``limit`` of the steps of :func:`dyad_status` from ``offset``, in the order a page shows them (the steps
    in force or open first, then the latest to begin: :func:`_latest_first`), and which of how many they are;
    the evidence is read for those steps only."""
    check_window(limit, offset)
    steps = _latest_first(list(_steps(_dyad_tracks(ctx, a, b))))
    return entries_of(ctx, steps[offset : offset + limit]), Window(offset, limit, len(steps))


def _latest_first(steps: list[tuple[Track, TrackStep]]) -> list[tuple[Track, TrackStep]]:
    """The steps in force or open first (in their order), then the others, the latest to begin first (steps of
    the same start in their order; undated ones last)."""
    current = [pair for pair in steps if pair[1].current]
    ended = [pair for pair in steps if not pair[1].current]
    dated = sorted((pair for pair in ended if pair[1].start), key=lambda pair: _start_day(pair[1]), reverse=True)
    return current + dated + [pair for pair in ended if not pair[1].start]


def _start_day(step: TrackStep) -> datetime.date:
    return PartialDate.parse(str(step.start)).first_day


def designation_status(ctx: AnalysisContext, actor: str, limit: int | None = STATUS_LISTED) -> list[StatusEntry]:
    """The tracks of every pair where ``actor`` is the designee or the designator, pair by pair: the first
    ``limit`` steps (None: all), from one read of the reports of every such pair."""
    steps = _steps(_tracks_of_pairs(ctx.store, Sides(actor=actor)))
    return entries_of(ctx, list(itertools.islice(steps, limit)))


def _steps(tracks: Iterable[Track]) -> Iterator[tuple[Track, TrackStep]]:
    return ((track, step) for track in tracks for step in track.steps)


def _entries(ctx: AnalysisContext, tracks: list[Track]) -> list[StatusEntry]:
    return entries_of(ctx, list(_steps(tracks)))


def entries_of(ctx: AnalysisContext, steps: list[tuple[Track, TrackStep]]) -> list[StatusEntry]:
    """The view rows of ``steps``, with the evidence of the reports shown read in one batch."""
    shown = [r for _, step in steps for r in _shown(step, SHOWN_BACKING)]
    found = evidence(ctx.store, shown)
    ctx.load_names([*(a for _, s in steps for a in (s.designator, s.designee)), *(r.claimant for r in shown)])
    return [_entry(ctx, track, step, found) for track, step in steps]


def _entry(ctx: AnalysisContext, track: Track, step: TrackStep,
           found: dict[tuple[str, str], Evidence]) -> StatusEntry:
    observed = sorted(r.observed for r in step.backing if r.observed)
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
        backing=[_backing(ctx, report, found) for report in step.backing[:SHOWN_BACKING]],
        evidence=_evidence_of(step.lead, found),
        backing_total=len(step.backing),
        first_seen=observed[0] if observed else None,
        last_seen=observed[-1] if observed else None,
    )


def _evidence_of(report: StatusReport, found: dict[tuple[str, str], Evidence]) -> Evidence:
    """The report's evidence as read; its bare offsets when its record is gone."""
    return found.get(report_key(report)) or Evidence(report.doc_id, report.start, report.end, "", None)


def _backing(ctx: AnalysisContext, report: StatusReport, found: dict[tuple[str, str], Evidence]) -> StatusBacking:
    return StatusBacking(
        outlet=report.source,
        doc_id=report.doc_id,
        date=report.date,
        observed=report.observed,
        observation=report.observation,
        claimant=report.claimant,
        claimant_name=ctx.actor_name(report.claimant),
        evidence=_evidence_of(report, found),
    )
