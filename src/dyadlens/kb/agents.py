"""Agent nouns: words that turn a country into one of its organs.

"Afghan officials", "the Russian foreign ministry", "Pakistani troops": an
agent noun after a country name or demonym says who acts. Agents whose
``acts_as`` is ``government`` stand for whoever governs the country on the
document date (see ``KnowledgeBase.government_of``); ``country`` agents stand
for the state itself. The same structure comes from the shipped
``data/agents.yaml`` and from PETRARCH ``.agents`` dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ACTS_AS = ("government", "country")
#: PETRARCH agent codes of state organs that act for the government of the day.
GOVERNMENT_AGENT_CODES = ("GOV", "MIL", "COP", "JUD", "LEG", "SPY", "ELI")


@dataclass(frozen=True, slots=True)
class AgentTerm:
    terms: tuple[str, ...]
    code: str
    acts_as: str  # one of ACTS_AS
    #: whether PETRARCH writes the code before the country's (``[NGO~]``: "NGOARN") rather than after it
    prefix: bool = False


def acts_as_for_code(code: str) -> str:
    """``government`` for state-organ codes (GOV, MIL, ...), ``country`` otherwise."""
    bare = code.strip("~").upper()
    return "government" if bare.startswith(GOVERNMENT_AGENT_CODES) else "country"


def parse_agent_entries(raw: Any) -> tuple[list[AgentTerm], list[str]]:
    """Agent entries from a YAML list; returns the entries and the problems found."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], ["an agents file must be a YAML list of entries"]
    agents: list[AgentTerm] = []
    problems: list[str] = []
    for index, item in enumerate(raw):
        label = f"agent entry #{index + 1}"
        terms = item.get("terms") if isinstance(item, dict) else None
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            problems.append(f"{label}: 'terms' must be a non-empty list of strings")
            continue
        code = str(item.get("code") or "")
        acts_as = item.get("acts_as") or acts_as_for_code(code)
        if acts_as not in ACTS_AS:
            problems.append(f"{label}: 'acts_as' must be one of {', '.join(ACTS_AS)}, got {acts_as!r}")
            continue
        agents.append(AgentTerm(tuple(t.strip() for t in terms), code, acts_as))
    return agents, problems
