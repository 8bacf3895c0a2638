"""Context rules that decide what an alias stands for in its sentence.

- A capital is a *place* when it follows a locative preposition ("an
  embassy in Kabul", "took control of Kabul") or is glossed as a city; it is
  part of *another name* when it modifies a following noun ("Doha office",
  "Doha Accord"); otherwise it *acts* ("Kabul said", "Moscow could help
  Kabul") and stands for whoever governs the country on the document date.
  Metonyms ("the Kremlin") follow the same place test.
- A demonym or country name with an agent noun ("Afghan officials",
  "Russia's foreign ministry", "the government of Pakistan") stands for the
  government of the day; a demonym that is part of a geographic name
  ("Indian Ocean") is no actor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dyadlens.kb.agents import AgentTerm
from dyadlens.kb.aliases import Token
from dyadlens.nlp.lexicon import ActorWords
from dyadlens.nlp.offsets import span_root

POSSESSIVE_TOKENS = ("'", "s")


def capital_role(doc: Any, start: int, end: int, words: ActorWords) -> str:
    """``place``, ``modifier`` or ``actor`` for a capital at sentence offsets [start, end)."""
    root = span_root(doc, start, end)
    if root is None:
        return "actor"
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    if root.dep_ in ("compound", "nmod") and root.head.i > root.i and root.head.pos_ in ("NOUN", "PROPN"):
        return "modifier"
    if any(child.dep_ == "appos" and child.lemma_.lower() in words.place_glosses for child in root.children):
        return "place"
    if root.dep_ == "pobj":
        return _role_after_preposition(root.head, words)
    return "actor"


def _role_after_preposition(preposition: Any, words: ActorWords) -> str:
    word = preposition.lower_
    if word in words.agent_prepositions:
        return "actor"
    if word == "to":
        return "place" if preposition.head.pos_ in ("VERB", "AUX") else "actor"
    return "place" if word in words.place_prepositions else "actor"


def is_geographic_name(tokens: Sequence[Token], after: int, words: ActorWords) -> bool:
    """A demonym followed (past quote marks and brackets) by "Ocean", "Sea"...: a place name."""
    for token in tokens[after + 1 : after + 4]:
        if token.is_word:
            return token.text[:1].isupper() and token.text.casefold() in words.geographic_nouns
    return False


class AgentIndex:
    """Agent nouns by their token sequence, for "<demonym> <agent>" and "<country>'s <agent>"."""

    def __init__(self, agents: Sequence[AgentTerm]) -> None:
        self.terms: dict[tuple[str, ...], AgentTerm] = {}
        for agent in agents:
            for term in agent.terms:
                self.terms.setdefault(tuple(term.casefold().replace("-", " - ").split()), agent)
        self.max_tokens = max((len(k) for k in self.terms), default=0)

    def match_after(self, tokens: Sequence[Token], after: int, after_name: bool) -> tuple[AgentTerm, int] | None:
        """The agent term right after token ``after`` and the index of its last token.

        After a demonym the term follows directly ("Afghan officials"); after a
        name it must follow a possessive ("Russia's foreign ministry"), since
        "Afghanistan envoy" is an envoy *for* Afghanistan.
        """
        i = after + 1
        if after_name:
            following = [t.text.casefold() for t in tokens[i : i + 2]]
            if following == list(POSSESSIVE_TOKENS):
                i += 2
            elif following[:1] == ["'"]:
                i += 1
            else:
                return None
        for n in range(min(self.max_tokens, len(tokens) - i), 0, -1):
            window = tokens[i : i + n]
            agent = self.terms.get(tuple(t.text.casefold() for t in window))
            if agent is not None:
                return agent, i + n - 1
        return None

    def match_before(self, tokens: Sequence[Token], first: int) -> tuple[AgentTerm, int] | None:
        """An agent term and "of" (and "the") right before token ``first``: "the government of Pakistan".

        Returns the agent and the index of its first token.
        """
        i = first - 1
        if i >= 0 and tokens[i].text.casefold() == "the":
            i -= 1
        if i < 1 or tokens[i].text.casefold() != "of":
            return None
        for n in range(min(self.max_tokens, i), 0, -1):
            window = tokens[i - n : i]
            agent = self.terms.get(tuple(t.text.casefold() for t in window))
            if agent is not None:
                return agent, i - n
        return None
