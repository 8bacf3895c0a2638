"""One pattern of the verb dictionary, whatever file format it was read from.

Built by the YAML reader (:mod:`dyadlens.nlp.verbs`) and the PETRARCH reader
(:mod:`dyadlens.nlp.petrarch_verbs`), read by the event coder.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VerbEntry:
    """One pattern. ``kind`` is ``verb`` or ``noun``; lemmas are lower case."""

    id: str  # "<file stem>:<number>", shown by ``dyadlens explain``
    code: str
    kind: str
    lemmas: frozenset[str]
    particles: frozenset[str] = frozenset()
    preps: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    needs: tuple[tuple[str, str], ...] = ()
    symmetric: bool = False
    reverse: bool = False
    complement: bool = False
    #: the target is the actor answered: the possessor of the object, else the subject of the
    #: preceding sentence ("Y accused X of ... X denied this")
    answers: bool = False
    #: with no target in the clause, the target is the source's home state (KB ``country``):
    #: "the movement returned to power" -> its country
    home: bool = False
    owner: str = "source"
    #: words that must come before the verb in its clause, in this order, lower case; ``_``
    #: between two words makes them adjacent, a trailing ``_`` puts the last word right before
    #: the verb (PETRARCH's ``- FAILED_TO_* [111]`` -> ``("failed", "_", "to", "_")``)
    before: tuple[str, ...] = ()
    #: a paired code (PETRARCH's ``[032:033]``): the target's event in return, target -> source
    #: ("left for X": a visit, and X receives it)
    paired_code: str = ""
    #: verbs with no direct object: prepositions whose object is then the target (PETRARCH looks
    #: for the target anywhere in the verb phrase: "left for X", "arrived in X")
    fallback_preps: frozenset[str] = frozenset()
    note: str = ""
    order: int = 0  # later files get higher numbers and take precedence over earlier ones

    @property
    def specificity(self) -> int:
        """More constraints make a more specific pattern, preferred over a plain one."""
        return (
            2 * bool(self.objects)
            + 2 * bool(self.needs)
            + 2 * bool(self.modifiers)
            + bool(self.particles)
            + bool(self.preps)
            + sum(word != "_" for word in self.before)
        )

    def describe(self) -> str:
        parts = [f"{self.kind} {'|'.join(sorted(self.lemmas))}"]
        if self.before:
            parts.insert(0, "".join(w if w == "_" or not i or self.before[i - 1] == "_" else f" {w}"
                                    for i, w in enumerate(self.before)))
        if self.particles:
            parts.append(f"+{'|'.join(sorted(self.particles))}")
        if self.modifiers:
            parts.append(f"mod {'|'.join(sorted(self.modifiers))}")
        if self.objects:
            parts.append(f"obj {'|'.join(sorted(self.objects))}")
        if self.needs:
            parts.append("needs " + ", ".join(f"{p} {n}" for p, n in self.needs))
        if self.preps:
            parts.append(f"target after {'|'.join(sorted(self.preps))}")
        code = f"{self.code}:{self.paired_code}" if self.paired_code else self.code
        return " ".join(parts) + f" -> {code}"
