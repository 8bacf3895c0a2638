"""The team-written training corpus: read `.dyad` sources, check them, compile them.

The source format and the annotation guide are in docs/training-corpus.md. A source is one
invented article with its actor mentions marked inline (``[[surface|Canonical]]``) and its
events written under each sentence. Compiling yields, per document, a gold-format record
(``../shared/eval/GUIDELINES.md``) plus every sentence's mentions (offsets into the sentence)
and every ordered pair of two different actors with its label: a CAMEO root or ``none``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import permutations
from pathlib import Path
from typing import Any

MODALITIES = ("asserted", "negated", "possible", "planned", "recommended", "alleged")
REGISTERS = ("wire", "analysis", "op-ed", "statement", "interview", "feature")
NO_EVENT = "none"

_MENTION = re.compile(r"\[\[([^\[\]|]+?)(?:\|([^\[\]|]+?))?\]\]")
_EVENT = re.compile(
    r"^\s+(?P<source>[^>]+?)\s*>\s*(?P<target>.+?)\s+(?P<code>\d{2,4})\s+(?P<modality>[a-z]+)"
    r"\s+(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?|-)(?:\s+\"(?P<expression>[^\"]+)\")?\s*$"
)
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CorpusError(ValueError):
    """A source line that cannot be compiled: names the file and the line."""


@dataclass
class Mention:
    start: int  # offsets into the sentence text
    end: int
    text: str
    actor: str


@dataclass
class Pair:
    source: str
    target: str
    label: str  # a CAMEO root ("01".."20") or NO_EVENT
    code: str | None = None
    modality: str | None = None
    date: str | None = None
    date_text: str | None = None


@dataclass
class Sentence:
    text: str
    line: int
    headline: bool
    paragraph: int
    mentions: list[Mention]
    events: list[Pair] = field(default_factory=list)

    def actors(self) -> list[str]:
        """The actors marked in the sentence, in order of first mention."""
        return list(dict.fromkeys(mention.actor for mention in self.mentions))

    def pairs(self) -> list[Pair]:
        """Every ordered pair of two different actors: the coded events, then the no-event pairs.
        A pair with two events in the sentence is labelled with the first one written."""
        first = {(event.source, event.target): event for event in reversed(self.events)}
        coded = [event for event in self.events if first[(event.source, event.target)] is event]
        negatives = [
            Pair(source, target, NO_EVENT)
            for source, target in permutations(self.actors(), 2)
            if (source, target) not in first
        ]
        return [*coded, *negatives]


@dataclass
class Article:
    doc: str
    published: str
    register: str
    region: str | None
    path: Path
    sentences: list[Sentence] = field(default_factory=list)

    def text(self) -> str:
        """The article as a reader sees it: a paragraph per block, sentences joined by a space."""
        paragraphs: dict[int, list[str]] = {}
        for sentence in self.sentences:
            paragraphs.setdefault(sentence.paragraph, []).append(sentence.text)
        return "\n\n".join(" ".join(texts) for _, texts in sorted(paragraphs.items())) + "\n"


def parse_mentions(marked: str) -> tuple[str, list[Mention]]:
    """The plain sentence and its mentions from a marked line."""
    plain: list[str] = []
    mentions: list[Mention] = []
    cursor = 0
    length = 0
    for match in _MENTION.finditer(marked):
        before = marked[cursor : match.start()]
        plain.append(before)
        length += len(before)
        surface = match.group(1)
        actor = (match.group(2) or surface).strip()
        mentions.append(Mention(length, length + len(surface), surface, actor))
        plain.append(surface)
        length += len(surface)
        cursor = match.end()
    plain.append(marked[cursor:])
    return "".join(plain), mentions


def read_source(path: Path) -> Article:
    """One `.dyad` file; raises :class:`CorpusError` at the first malformed line."""
    header: dict[str, str] = {}
    sentences: list[Sentence] = []
    paragraph = 0
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        where = f"{path}:{number}"
        if not line.strip():
            paragraph += 1 if sentences else 0
        elif line.startswith("#"):
            continue
        elif line.startswith("@"):
            key, _, value = line[1:].partition(" ")
            header[key] = value.strip()
        elif line[0].isspace():
            if not sentences:
                raise CorpusError(f"{where}: an event line before any sentence")
            sentences[-1].events.append(_parse_event(line, sentences[-1], where))
        else:
            sentences.append(_parse_sentence(line, number, paragraph, bool(sentences), where))
    return _article(header, sentences, path)


def _parse_sentence(line: str, number: int, paragraph: int, has_previous: bool, where: str) -> Sentence:
    headline = line.startswith("= ")
    if headline and has_previous:
        raise CorpusError(f"{where}: the headline must be the first sentence")
    marked = line[2:] if headline else line
    if marked.count("[[") != marked.count("]]") or "[[" in _MENTION.sub("", marked):
        raise CorpusError(f"{where}: unbalanced [[ ]] in the sentence")
    text, mentions = parse_mentions(marked.strip())
    if "|" in text or "]]" in text:
        raise CorpusError(f"{where}: a stray | or ]] outside a mention")
    return Sentence(text, number, headline, -1 if headline else paragraph, mentions)


def _parse_event(line: str, sentence: Sentence, where: str) -> Pair:
    match = _EVENT.match(line)
    if not match:
        raise CorpusError(f"{where}: not an event line (SOURCE > TARGET CODE MODALITY DATE [\"EXPRESSION\"])")
    source, target = match.group("source").strip(), match.group("target").strip()
    actors = sentence.actors()
    for side in (source, target):
        if side not in actors:
            raise CorpusError(f"{where}: {side!r} is not marked in the sentence (marked: {', '.join(actors)})")
    if source == target:
        raise CorpusError(f"{where}: source and target are the same actor")
    code, modality = match.group("code"), match.group("modality")
    if not 1 <= int(code[:2]) <= 20:
        raise CorpusError(f"{where}: {code} has no CAMEO root (01 to 20)")
    if modality not in MODALITIES:
        raise CorpusError(f"{where}: unknown modality {modality!r} ({', '.join(MODALITIES)})")
    expression = match.group("expression")
    if expression and expression not in sentence.text:
        raise CorpusError(f"{where}: the date expression {expression!r} is not in the sentence")
    date = match.group("date")
    return Pair(source, target, code[:2], code if len(code) > 2 else None, modality,
                None if date == "-" else date, expression)


def _article(header: dict[str, str], sentences: list[Sentence], path: Path) -> Article:
    for key in ("doc", "published", "register"):
        if key not in header:
            raise CorpusError(f"{path}: the header lacks @{key}")
    if not _DOC_ID.match(header["doc"]):
        raise CorpusError(f"{path}: @doc {header['doc']!r} is not lower case letters, digits and -")
    if not _DAY.match(header["published"]):
        raise CorpusError(f"{path}: @published {header['published']!r} is not YYYY-MM-DD")
    if header["register"] not in REGISTERS:
        raise CorpusError(f"{path}: @register {header['register']!r} is not one of {', '.join(REGISTERS)}")
    if not sentences:
        raise CorpusError(f"{path}: no sentences")
    return Article(header["doc"], header["published"], header["register"], header.get("region"), path, sentences)


def sources(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.dyad"))


def record(article: Article, split: str, root: Path) -> dict[str, Any]:
    """The compiled JSONL record of one article: the gold format plus sentences and pairs."""
    writer = article.path.parent.name if article.path.parent.name != split else None
    return {
        "doc": article.doc,
        "published": article.published,
        "register": article.register,
        "region": article.region,
        "writer": writer,
        "source_file": article.path.relative_to(root).as_posix(),
        "actors": list(dict.fromkeys(actor for s in article.sentences for actor in s.actors())),
        "events": [_gold_event(sentence, event) for sentence in article.sentences for event in sentence.events],
        "quotes": [],
        "designations": [],
        "sentences": [_sentence_record(sentence) for sentence in article.sentences],
    }


def _gold_event(sentence: Sentence, event: Pair) -> dict[str, Any]:
    return {
        "sentence": sentence.text,
        "source": event.source,
        "target": event.target,
        "cameo": event.label,
        "code": event.code,
        "modality": event.modality,
        "date": event.date,
    }


def _sentence_record(sentence: Sentence) -> dict[str, Any]:
    return {
        "text": sentence.text,
        "headline": sentence.headline,
        "mentions": [vars(mention) for mention in sentence.mentions],
        "pairs": [{k: v for k, v in vars(pair).items() if v is not None} for pair in sentence.pairs()],
    }


def load(path: Path) -> list[dict[str, Any]]:
    """The compiled records of one split."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def shingles(text: str, width: int = 4) -> frozenset[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return frozenset(tuple(words[i : i + width]) for i in range(max(1, len(words) - width + 1)))


def near_duplicates(texts: Sequence[str], threshold: float = 0.6) -> list[tuple[int, int, float]]:
    """Pairs of texts whose word 4-gram sets overlap by ``threshold`` or more (Jaccard), through an
    index of the 4-grams, so only texts that share one are compared."""
    sets = [shingles(text) for text in texts]
    index: dict[tuple[str, ...], list[int]] = {}
    for number, grams in enumerate(sets):
        for gram in grams:
            index.setdefault(gram, []).append(number)
    found = []
    for number, grams in enumerate(sets):
        candidates = {other for gram in grams for other in index[gram] if other > number}
        for other in sorted(candidates):
            similarity = len(grams & sets[other]) / len(grams | sets[other])
            if similarity >= threshold:
                found.append((number, other, similarity))
    return found


# ---- building and checking -------------------------------------------------------------------

def build(root: Path) -> dict[str, int]:
    """Compile ``root/sources/SPLIT`` into ``root/SPLIT.jsonl`` and ``root/texts/SPLIT/``."""
    counts: dict[str, int] = {}
    for split in ("train", "test"):
        articles = [read_source(path) for path in sources(root / "sources" / split)]
        _refuse_duplicate_ids(articles)
        records = [record(article, split, root) for article in articles]
        with (root / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
            for item in records:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        _write_texts(root / "texts" / split, articles)
        counts[split] = len(records)
    return counts


def _refuse_duplicate_ids(articles: Sequence[Article]) -> None:
    seen: dict[str, Path] = {}
    for article in articles:
        if article.doc in seen:
            raise CorpusError(f"{article.path}: @doc {article.doc} is also used by {seen[article.doc]}")
        seen[article.doc] = article.path


def _write_texts(folder: Path, articles: Sequence[Article]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.txt"):
        stale.unlink()
    rows = []
    for article in articles:
        (folder / f"{article.doc}.txt").write_text(article.text(), encoding="utf-8")
        rows.append({"file": f"{article.doc}.txt", "id": article.doc, "published": article.published})
    (folder / "meta.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def check(paths: Sequence[Path]) -> int:
    """Print every problem of the given sources (errors and warnings, near-duplicate sentences
    among them); the number of errors."""
    from dyadlens.kb.knowledge_base import load_kb

    kb = load_kb()
    errors = 0
    located: list[tuple[Path, Sentence]] = []
    for path in paths:
        try:
            article = read_source(path)
        except CorpusError as error:
            print(f"error: {error}")
            errors += 1
            continue
        for sentence in article.sentences:
            located.append((path, sentence))
            for actor in sentence.actors():
                if not kb.lookup(actor):
                    print(f"warning: {path}:{sentence.line}: {actor!r} is not in the knowledge base")
        print(_summary(path, article))
    for first, second, similarity in near_duplicates([sentence.text for _, sentence in located]):
        (path_a, a), (path_b, b) = located[first], located[second]
        print(f"warning: near-duplicate sentences ({similarity:.2f}): {path_a}:{a.line} and {path_b}:{b.line}")
    return errors


def _summary(path: Path, article: Article) -> str:
    pairs = [pair for sentence in article.sentences for pair in sentence.pairs()]
    positive = sum(pair.label != NO_EVENT for pair in pairs)
    words = sum(len(sentence.text.split()) for sentence in article.sentences)
    return (f"ok: {path}: {len(article.sentences)} sentences, {words / len(article.sentences):.1f} words each, "
            f"{len(pairs)} pairs ({positive} events)")


def main(argv: Sequence[str]) -> int:
    if len(argv) >= 1 and argv[0] == "build":
        root = Path(argv[1]) if len(argv) > 1 else Path("training")
        print(json.dumps(build(root)))
        return 0
    if len(argv) >= 2 and argv[0] == "check":
        files = [p for arg in argv[1:] for p in (sources(Path(arg)) if Path(arg).is_dir() else [Path(arg)])]
        return 1 if check(files) else 0
    print("usage: python -m dyadlens.learned.corpus build [ROOT] | check FILE_OR_FOLDER…", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
