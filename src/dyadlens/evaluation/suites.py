"""Sentence-level peer suites: PETRARCH-2 test cases and the PLOVER gold-standard records.

Each case sentence becomes a ``txt`` input, published on the case date, and
goes through the pipeline up to the event coder. Per suite:

- ``exact``: expected (source, target, event) triples matched one-to-one;
  PETRARCH compares full actor codes, the actor's ``ActorRef.cameo`` with the
  sectors of the event's side composed the way PETRARCH composes them
  (``ARN`` + GOV -> ``ARNGOV``; :mod:`dyadlens.kb.sectors`), and the full CAMEO
  code; PLOVER compares ISO3 codes (``ActorRef.iso3``, any of the expected
  codes of a slot) and the PLOVER category of the system's CAMEO code.
- ``root``: PETRARCH, the same dyad and CAMEO root; PLOVER, the category
  alone, whoever the actors. PLOVER categories are compared under their 2021
  names (the gold records use 0.5b1's FIGHT, DEMAND, DISAPPROVE).
- ``country``: PETRARCH, the dyad compared on the country part of the codes
  (their first three characters: ``USAGOV`` -> ``USA``) and the CAMEO root;
  PLOVER codes are ISO3 already, so it equals ``exact``.
- ``no_event``: tp = sentences where the system codes nothing and none is
  expected; precision over the sentences the system codes nothing for,
  recall over the sentences that expect nothing.

The PETRARCH unit tests use invented countries, so that suite runs with the
validation dictionaries loaded as extra KB files (actors, agents) and verb
file, and the dictionaries decide for the names they define: a shipped actor
that shares a name with one of the dictionary's takes the dictionary's code
(and names) for the suite's run, rather than both claiming the name. Its verb
file alone says which predicates are events (the packaged verb and noun entries
are left out, as PETRARCH reads one verbs dictionary; ``own_verbs_only``). A suite whose
resources cannot be loaded is reported with a note, its system output empty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from dyadlens.errors import DyadlensError, InputError
from dyadlens.evaluation.matching import maximum_matching
from dyadlens.evaluation.metrics import Counts
from dyadlens.kb.sectors import SectorLexicon
from dyadlens.model import RawInput
from dyadlens.nlp.sectors import sector_lexicon

if TYPE_CHECKING:
    from dyadlens.kb.ontology import Ontology
    from dyadlens.model import DocumentRecords
    from dyadlens.pipeline import PipelineConfig
    from dyadlens.resources import Resources

NO_ACTOR = "---"
#: The last stage a suite runs: the event coder's stages and the sectors of each event side.
CODED_UPTO = "event_sectors"
PETRARCH_UNITTEST = "petrarch2_unittest"
PLOVER_SUITE_PREFIX = "plover"

Triple = tuple[str, str, str]
ResourceFactory = Callable[[Sequence[Path], Sequence[Path]], "Resources"]


@dataclass(frozen=True)
class SuiteCase:
    id: str
    suite: str
    text: str
    published: str | None
    expected: tuple[dict[str, Any], ...]
    expect_no_event: bool


@dataclass
class SuiteResult:
    suite: str
    cases: int = 0
    exact: Counts = field(default_factory=Counts)
    root: Counts = field(default_factory=Counts)
    country: Counts = field(default_factory=Counts)
    no_event: Counts = field(default_factory=Counts)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "cases": self.cases,
            "exact": self.exact.as_dict(),
            "root": self.root.as_dict(),
            "country": self.country.as_dict(),
            "no_event": self.no_event.as_dict(),
            "notes": list(self.notes),
        }


def read_cases(path: Path) -> list[SuiteCase]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    return [_parse_case(path, number, line) for number, line in enumerate(lines, 1) if line.strip()]


def _parse_case(path: Path, number: int, line: str) -> SuiteCase:
    try:
        row = json.loads(line)
        return SuiteCase(
            id=str(row["id"]),
            suite=str(row["suite"]),
            text=str(row["text"]),
            published=case_date(row.get("date")),
            expected=tuple(row.get("expected") or ()),
            expect_no_event=bool(row.get("expect_no_event", not row.get("expected"))),
        )
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"line {number}: not a suite case ({exc})") from exc


def case_date(value: Any) -> str | None:
    """``19950101`` or ``1995-01-01`` -> ``1995-01-01``; anything else -> None."""
    text = str(value or "")
    match = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", text)
    return "-".join(match.groups()) if match else None


def run_suites(
    cases_path: Path, make_resources: ResourceFactory, own_verbs_only: bool = True,
    config: PipelineConfig | None = None,
) -> list[SuiteResult]:
    """Code every case of the file and score each suite in it (``own_verbs_only``: see :func:`run_suite`;
    ``config``: the pipeline, default the default one)."""
    cases = read_cases(cases_path)
    suites = list(dict.fromkeys(case.suite for case in cases))
    dictionaries = cases_path.parent / "dictionaries"
    return [
        run_suite(name, [c for c in cases if c.suite == name], dictionaries, make_resources, own_verbs_only, config)
        for name in suites
    ]


def run_suite(
    name: str,
    cases: Sequence[SuiteCase],
    dictionaries: Path,
    make_resources: ResourceFactory,
    own_verbs_only: bool = True,
    config: PipelineConfig | None = None,
) -> SuiteResult:
    """Code and score one suite. ``own_verbs_only`` (the default): a suite with its own verb
    file codes with that file alone, as PETRARCH (which reads a single verbs dictionary and
    has no noun triggers) does; otherwise the suite's file is given after the packaged
    dictionary and decides for the verbs it defines, the packaged entries coding the rest."""
    result = SuiteResult(suite=name, cases=len(cases))
    kb_files, verb_files = _suite_dictionaries(name, dictionaries)
    resources = _suite_resources(make_resources, kb_files, verb_files, own_verbs_only, result.notes)
    coder = _suite_coder(name, resources, result.notes, config)
    for case in cases:
        score_case(case, coder(case), result, name.startswith(PLOVER_SUITE_PREFIX))
    return result


def _suite_resources(
    make_resources: ResourceFactory,
    kb_files: list[Path],
    verb_files: list[Path],
    own_verbs_only: bool,
    notes: list[str],
) -> Resources:
    """The suite's resources: its own dictionaries given after the packaged ones, so they decide
    (its verb file alone with ``own_verbs_only``).

    An alias the suite's actors share with shipped actors stands for the suite's actor
    (later KB files win, :func:`dyadlens.nlp.actors.choose_entry`); its verb file's
    patterns come before the packaged ones for the verbs it defines
    (:meth:`dyadlens.nlp.verbs.VerbDictionary.candidates`).
    """
    resources = make_resources(kb_files, verb_files)
    if not verb_files:
        return resources
    from dyadlens.nlp.verbs import load_verb_dictionary

    try:
        resources.ontology = suite_ontology(resources.ontology, verb_files)
        resources.verbs = load_verb_dictionary(
            resources.ontology, resources.verb_files or verb_files, packaged_entries=not own_verbs_only
        )
        resources.verbs.agent_heads = resources.verbs.agent_heads | agent_heads(kb_files)
    except (DyadlensError, OSError, ValueError) as exc:
        notes.append(f"suite verb file could not be loaded ({type(exc).__name__}: {exc})")
    return resources


def agent_heads(kb_files: Sequence[Path]) -> frozenset[str]:
    """The head nouns of a PETRARCH agents dictionary's terms ("CLERIC", "HUMAN_RIGHTS_ACTIVIST"
    -> cleric, activist): in the suite's run they stand for the actor that qualifies them
    ("Arnor cleric", "activists in Arnor"), as the packaged ``agent_heads`` do."""
    from dyadlens.kb.petrarch import import_agents

    paths = [Path(p) for p in kb_files if Path(p).name.lower().endswith(".agents.txt")]
    return frozenset(t.terms[0].split()[-1] for p in paths for t in import_agents(p) if t.terms)


def suite_ontology(base: Ontology, verb_files: Sequence[Path]) -> Ontology:
    """The ontology extended by the codes the suite's own verb files use and CAMEO lacks.

    The PETRARCH validation verbs file codes its unit tests with WEIS and test-only codes
    (``9xx``, ``1010``, ``075A``, ...), which the suite's expected events use
    (``petrarch/README.md``, "Codes"); the suite's run knows them, the default ontology never does.
    """
    from dyadlens.kb.ontology import CameoCode, Ontology, expected_quad_class
    from dyadlens.nlp.petrarch_verbs import declared_codes

    codes = {c.code: c for c in base}
    for path in verb_files:
        for code in sorted(declared_codes(Path(path)) - set(codes)):
            codes[code] = CameoCode(
                code, code[:2], f"test-only code of {Path(path).name}", 0.0, expected_quad_class(code[:2]), None
            )
    return Ontology(codes)


def _suite_dictionaries(name: str, dictionaries: Path) -> tuple[list[Path], list[Path]]:
    if name != PETRARCH_UNITTEST:
        return [], []
    kb_files = [dictionaries / "PETR.Validate.actors.txt", dictionaries / "PETR.Validate.agents.txt"]
    return kb_files, [dictionaries / "PETR.Validate.verbs.txt"]


def _suite_coder(
    name: str, resources: Resources, notes: list[str], config: PipelineConfig | None = None
) -> Callable[[SuiteCase], list[Triple]]:
    """A function coding one case into (source, target, code) triples; codes nothing if it cannot load."""
    try:
        from dyadlens.pipeline import build_pipeline

        pipeline = build_pipeline(resources, upto=CODED_UPTO, config=config)
        sectors = sector_lexicon(resources)
        _ = resources.verbs
    except ImportError as exc:
        notes.append(f"pipeline or resources unavailable ({exc}); the system codes nothing")
        return lambda case: []
    except (DyadlensError, OSError, ValueError, NotImplementedError) as exc:
        notes.append(f"suite resources could not be loaded ({type(exc).__name__}: {exc}); the system codes nothing")
        return lambda case: []
    plover = name.startswith(PLOVER_SUITE_PREFIX)

    def code(case: SuiteCase) -> list[Triple]:
        try:
            records = pipeline(_raw_input(case))
        except DyadlensError as exc:
            notes.append(f"{case.id}: not coded ({exc})")
            return []
        return _system_triples(records, resources, sectors, plover, case.published)

    return code


def _raw_input(case: SuiteCase) -> RawInput:
    meta = {"published": case.published} if case.published else {}
    return RawInput(
        doc_id=case.id, path=f"{case.suite}/{case.id}", format="txt", data=case.text.encode("utf-8"), meta=meta
    )


def _system_triples(
    records: DocumentRecords, resources: Resources, sectors: SectorLexicon, plover: bool, published: str | None
) -> list[Triple]:
    """Each event as (source, target, code); a PETRARCH actor code is the one valid on the
    case's date (a dictionary's date restrictions), with the event side's sectors composed."""
    actors = {a.id: a for a in records.actors}

    def actor_code(actor_id: str | None, side_sectors: str | None) -> str:
        actor = actors.get(actor_id or "")
        if actor is None:
            return NO_ACTOR
        if plover:
            return actor.iso3 or NO_ACTOR
        return sectors.compose(resources.kb.cameo_on(actor.id, published) or actor.cameo, side_sectors)

    return [
        (
            actor_code(e.source, e.source_sectors),
            actor_code(e.target, e.target_sectors),
            _event_code(e.code, resources, plover),
        )
        for e in records.events
    ]


def _event_code(code: str, resources: Resources, plover: bool) -> str:
    if not plover:
        return code
    try:
        return resources.ontology.get(code).plover or ""
    except KeyError:
        return ""


def score_case(case: SuiteCase, system: list[Triple], result: SuiteResult, plover: bool) -> None:
    expected = list(case.expected)
    exact, root, country = (_plover_accepts if plover else _petrarch_accepts)(expected, system)
    result.exact = result.exact + Counts(_matched(expected, system, exact), len(system), len(expected))
    result.root = result.root + Counts(_matched(expected, system, root), len(system), len(expected))
    result.country = result.country + Counts(_matched(expected, system, country), len(system), len(expected))
    coded_none = not system
    result.no_event = result.no_event + Counts(
        int(coded_none and case.expect_no_event), int(coded_none), int(case.expect_no_event)
    )


Accept = Callable[[int, int], bool]


def _matched(expected: Sequence[Any], system: Sequence[Triple], accept: Accept) -> int:
    candidates = [[s for s in range(len(system)) if accept(g, s)] for g in range(len(expected))]
    return len(maximum_matching(candidates))


def _petrarch_accepts(
    expected: Sequence[dict[str, Any]], system: Sequence[Triple]
) -> tuple[Accept, Accept, Accept]:
    def dyad(g: int, s: int, width: int | None = None) -> bool:
        want = (expected[g].get("source") or NO_ACTOR, expected[g].get("target") or NO_ACTOR)
        return tuple(code[:width] for code in want) == tuple(code[:width] for code in system[s][:2])

    def same_root(g: int, s: int) -> bool:
        return str(expected[g].get("event"))[:2] == system[s][2][:2]

    def exact(g: int, s: int) -> bool:
        return dyad(g, s) and str(expected[g].get("event")) == system[s][2]

    def root(g: int, s: int) -> bool:
        return dyad(g, s) and same_root(g, s)

    def country(g: int, s: int) -> bool:
        return dyad(g, s, 3) and same_root(g, s)

    return exact, root, country


#: PLOVER 0.5b1 (the gold records) named three categories that the 2021
#: mapping of the ontology names otherwise: FIGHT was merged into ASSAULT,
#: DEMAND became REQUEST and DISAPPROVE became ACCUSE. Both sides are compared
#: under the 2021 names.
PLOVER_RENAMED = MappingProxyType({"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE"})


def plover_category(name: str) -> str:
    upper = name.upper()
    return PLOVER_RENAMED.get(upper, upper)


def _plover_accepts(
    expected: Sequence[dict[str, Any]], system: Sequence[Triple]
) -> tuple[Accept, Accept, Accept]:
    def slot(codes: Any, code: str) -> bool:
        wanted = {str(c.get("code")) for c in codes or () if isinstance(c, dict) and c.get("code")}
        return code in wanted if wanted else code == NO_ACTOR

    def category(g: int, s: int) -> bool:
        wanted = plover_category(str(expected[g].get("event")))
        return bool(system[s][2]) and wanted == plover_category(system[s][2])

    def exact(g: int, s: int) -> bool:
        want = expected[g]
        return category(g, s) and slot(want.get("source"), system[s][0]) and slot(want.get("target"), system[s][1])

    return exact, category, exact
