"""A small hand-written corpus as DocumentRecords, for the analysis, web and export tests.

The texts are invented for these tests. Records are built with the model
dataclasses; offsets are found in the text, so a typo fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dyadlens.model import (
    ActorRef,
    Designation,
    Document,
    DocumentRecords,
    Event,
    Mention,
    Quote,
    Sentence,
    stable_id,
)

ACTORS = {
    "russia": ActorRef("russia", "Russia", "state", cameo="RUS", iso3="RUS", qid="Q159"),
    "taliban": ActorRef("taliban", "Taliban", "armed_group", cameo="AFGINS", qid="Q42418"),
    "pakistan": ActorRef("pakistan", "Pakistan", "state", cameo="PAK", iso3="PAK", qid="Q843"),
    "ttp": ActorRef("ttp", "TTP", "armed_group"),
    "kazakhstan": ActorRef("kazakhstan", "Kazakhstan", "state", cameo="KAZ", iso3="KAZ", qid="Q232"),
}

#: The hostile document: markup and a script inside the article text.
HOSTILE_TEXT = (
    'Kazakhstan hosted Taliban envoys <script>alert("owned")</script> in <b>Astana</b> on 5 May 2024.\n'
    "Officials called the visit <img src=x onerror=alert(2)> routine."
)


@dataclass
class DocBuilder:
    """Builds one document's records from its sentences, finding offsets by text."""

    doc_id: str
    sentences: list[str]
    published: str | None
    outlet: str
    title: str
    records: DocumentRecords = field(init=False)

    def __post_init__(self) -> None:
        text = "\n".join(self.sentences)
        document = Document(
            id=self.doc_id, path=f"{self.doc_id}.txt", format="txt", text=text, title=self.title,
            outlet=self.outlet, published=self.published, url=f"https://example.org/{self.doc_id}",
            content_hash=stable_id(text), fingerprint=stable_id("fp", text),
        )
        self.records = DocumentRecords(document=document)
        offset = 0
        for index, sentence in enumerate(self.sentences):
            self.records.sentences.append(
                Sentence(stable_id(self.doc_id, offset, "s"), self.doc_id, index, offset, offset + len(sentence), index)
            )
            offset += len(sentence) + 1

    def span(self, index: int, words: str) -> tuple[int, int]:
        sentence = self.records.sentences[index]
        found = self.records.document.text.find(words, sentence.start, sentence.end)
        assert found >= 0, f"{words!r} not in sentence {index} of {self.doc_id}"
        return found, found + len(words)

    def mention(self, index: int, words: str, actor_id: str) -> None:
        start, end = self.span(index, words)
        self.records.mentions.append(
            Mention(stable_id(self.doc_id, start, end, "m"), self.doc_id, start, end, index, actor_id, "ORG", "alias")
        )
        if ACTORS[actor_id] not in self.records.actors:
            self.records.actors.append(ACTORS[actor_id])

    def event(self, index: int, trigger: str, source: str, target: str | None, code: str, modality: str,
              date: str | None = None, claimant: str | None = None) -> Event:
        sentence = self.records.sentences[index]
        start, end = self.span(index, trigger)
        event = Event(
            id=stable_id(self.doc_id, start, end, code, "e"), doc_id=self.doc_id, start=sentence.start,
            end=sentence.end, sentence_index=index, trigger_start=start, trigger_end=end, source=source,
            target=target, code=code, modality=modality, date=date, claimant=claimant, entry="test", confidence=0.9,
        )
        self.records.events.append(event)
        return event

    def quote(self, index: int, words: str, speaker: str, actor_id: str | None) -> None:
        start, end = self.span(index, words)
        self.records.quotes.append(
            Quote(stable_id(self.doc_id, start, end, "q"), self.doc_id, start, end, index, "direct", speaker,
                  actor_id, cue="said")
        )

    def designation(self, index: int, designator: str, designee: str, status: str, date: str | None,
                    event: Event | None = None) -> None:
        sentence = self.records.sentences[index]
        self.records.designations.append(
            Designation(stable_id(self.doc_id, sentence.start, status, "d"), self.doc_id, sentence.start,
                        sentence.end, designator, designee, status, date, event.id if event else None, rule="test")
        )


def ledger() -> DocumentRecords:
    doc = DocBuilder("ledger-0312", [
        "Russia removed the Taliban from its list of banned organisations in March 2024.",
        "Russia had listed the Taliban as a terrorist organisation in 2003.",
        "Pakistan accused the Taliban of sheltering TTP fighters on 2 March 2024.",
        'A Russian envoy said: "We will keep talking to Kabul about security."',
    ], "2024-03-12", "The Daily Ledger", "Moscow lifts its ban")
    for index, words, actor in [(0, "Russia", "russia"), (0, "Taliban", "taliban"), (1, "Russia", "russia"),
                                (1, "Taliban", "taliban"), (2, "Pakistan", "pakistan"), (2, "Taliban", "taliban"),
                                (2, "TTP", "ttp"), (3, "Russian envoy", "russia"), (3, "Kabul", "taliban")]:
        doc.mention(index, words, actor)
    delisting = doc.event(0, "removed", "russia", "taliban", "081", "asserted", "2024-03")
    listing = doc.event(1, "listed", "russia", "taliban", "172", "asserted", "2003")
    doc.event(2, "accused", "pakistan", "taliban", "112", "asserted", "2024-03-02")
    doc.event(3, "talking", "russia", "taliban", "046", "planned", None, claimant="russia")
    doc.quote(3, "We will keep talking to Kabul about security.", "Russian envoy", "russia")
    doc.designation(0, "russia", "taliban", "delisted", "2024-03", delisting)
    doc.designation(1, "russia", "taliban", "listed", "2003", listing)
    return doc.records


def frontier() -> DocumentRecords:
    doc = DocBuilder("frontier-0402", [
        "Russia has not removed the Taliban from its terrorist list, an analyst argued.",
        "In January 2023 Russia sent wheat to the Taliban.",
        "Pakistan should press the Taliban to stop the TTP.",
    ], "2024-04-02", "Frontier Review", "A ban that never ended")
    for index, words, actor in [(0, "Russia", "russia"), (0, "Taliban", "taliban"), (1, "Russia", "russia"),
                                (1, "Taliban", "taliban"), (2, "Pakistan", "pakistan"), (2, "Taliban", "taliban"),
                                (2, "TTP", "ttp")]:
        doc.mention(index, words, actor)
    doc.event(0, "removed", "russia", "taliban", "081", "negated", "2024-04")
    doc.event(1, "sent", "russia", "taliban", "071", "asserted", "2023-01")
    doc.event(2, "press", "pakistan", "taliban", "025", "recommended")
    return doc.records


def hostile() -> DocumentRecords:
    doc = DocBuilder(
        "hostile-0505", HOSTILE_TEXT.split("\n"), "2024-05-06", "Steppe <Wire>", 'Envoys & "guests" <i>x</i>'
    )
    doc.mention(0, "Kazakhstan", "kazakhstan")
    doc.mention(0, "Taliban", "taliban")
    doc.event(0, "hosted", "kazakhstan", "taliban", "043", "asserted", "2024-05-05")
    return doc.records


def corpus() -> list[DocumentRecords]:
    return [ledger(), frontier(), hostile()]


def build_store(path: Path | str) -> Path | str:
    """Write the corpus into a new store at ``path`` and return the path."""
    from dyadlens.store import open_store

    store = open_store(path)
    try:
        for records in corpus():
            store.write(records)
    finally:
        store.close()
    return path
