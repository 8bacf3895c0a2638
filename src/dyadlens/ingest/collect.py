"""Collect articles from the web into the store: named URLs (``dyadlens fetch``) and
the new items of web feeds (``dyadlens feeds``).

Fetched pages go through :func:`dyadlens.runner.ingest_inputs`, the ingest path
of files: each page is one document in its own transaction, a page that fails
(to download, to read, at any stage) is recorded in ``failures`` with its URL,
and a page fetched again with the same bytes is skipped.

A feed item counts as seen once its page is stored (or skipped as unchanged);
a failed item is fetched again on the next run. The feed's ETag and
Last-Modified are kept only when every new item was settled, so that a 304 on
the next run never hides an item that still has to be fetched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dyadlens.errors import InputError
from dyadlens.ingest.feed_state import FeedState, load_feed_state, record_items, record_validators
from dyadlens.ingest.feeds import FeedItem, parse_feed
from dyadlens.ingest.fetch import fetch_inputs
from dyadlens.ingest.politeness import FetchError, PoliteClient, Response
from dyadlens.model import Failure, RawInput
from dyadlens.pipeline import Pipeline
from dyadlens.runner import IngestReport, Progress, ingest_inputs
from dyadlens.store import Store

ProgressCallback = Callable[[Progress], None]
_SUFFIXES = {"html": ".html", "txt": ".txt", "md": ".md", "pdf": ".pdf"}


@dataclass(frozen=True, slots=True)
class Collector:
    """What every collection run shares: the store, the pipeline, the HTTP client and the options."""

    store: Store
    pipeline: Pipeline
    client: PoliteClient
    on_progress: ProgressCallback | None = None
    replace: bool = False
    raw_dir: Path | None = None  # --store-raw: keep each page's bytes here, with a meta.jsonl sidecar

    def ingest(self, items: Iterable[RawInput | Failure], on_progress: ProgressCallback | None = None) -> IngestReport:
        kept = keep_raw(items, self.raw_dir) if self.raw_dir is not None else items
        callback = on_progress or self.on_progress
        return ingest_inputs(kept, self.store, self.pipeline, on_progress=callback, replace=self.replace)


def fetch_urls(collector: Collector, urls: Sequence[str]) -> IngestReport:
    """Fetch and ingest each URL; a URL that cannot be fetched is one failure, naming it."""
    return collector.ingest(fetch_inputs(urls, collector.client))


@dataclass(slots=True)
class FeedSummary:
    url: str
    status: str  # read | not modified | failed
    items: int = 0  # items in the feed
    new: int = 0  # items not seen before, fetched in this run
    ingested: int = 0  # of those, stored or unchanged

    def as_dict(self) -> dict[str, object]:
        return {"url": self.url, "status": self.status, "items": self.items, "new": self.new, "ingested": self.ingested}


@dataclass(slots=True)
class FeedsReport:
    feeds: list[FeedSummary] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)

    def as_dict(self) -> dict[str, object]:
        return {"feeds": [feed.as_dict() for feed in self.feeds], **self.ingest.as_dict()}


def read_feeds(collector: Collector, feed_urls: Sequence[str]) -> FeedsReport:
    """Read each feed and ingest the items not seen before; stops after the feed a Ctrl-C interrupted."""
    report = FeedsReport()
    for feed_url in feed_urls:
        summary, ingested = _read_feed(collector, feed_url)
        report.feeds.append(summary)
        _merge(report.ingest, ingested)
        if ingested.interrupted:
            break
    return report


def _read_feed(collector: Collector, feed_url: str) -> tuple[FeedSummary, IngestReport]:
    state = load_feed_state(collector.store, feed_url)
    try:
        response = collector.client.get(feed_url, headers=state.conditional_headers())
        items = [] if response.status == 304 else _unique(parse_feed(response.data, response.url))
    except (FetchError, InputError) as error:
        problem = error.problem
        return FeedSummary(feed_url, "failed"), collector.ingest([Failure(feed_url, problem, stage="feed")])
    if response.status == 304:
        return FeedSummary(feed_url, "not modified"), IngestReport()
    return _ingest_items(collector, feed_url, state, response, items)


def _ingest_items(
    collector: Collector, feed_url: str, state: FeedState, response: Response, items: list[FeedItem]
) -> tuple[FeedSummary, IngestReport]:
    new = [item for item in items if item.key not in state.seen]
    settled: set[str] = set()

    def note(progress: Progress) -> None:
        if progress.outcome != "failed":
            settled.add(progress.path)
        if collector.on_progress is not None:
            collector.on_progress(progress)

    report = collector.ingest(fetch_inputs([item.link for item in new], collector.client), on_progress=note)
    done = [item for item in new if item.link in settled]
    record_items(collector.store, feed_url, done, state.seen)
    if len(done) == len(new):
        record_validators(collector.store, feed_url, response.header("ETag"), response.header("Last-Modified"))
    return FeedSummary(feed_url, "read", items=len(items), new=len(new), ingested=len(done)), report


def _unique(items: list[FeedItem]) -> list[FeedItem]:
    """The items in feed order, without a repeated key or link."""
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.key not in seen and item.link not in seen:
            unique.append(item)
        seen.update((item.key, item.link))
    return unique


def _merge(total: IngestReport, part: IngestReport) -> None:
    total.stored.extend(part.stored)
    total.skipped.extend(part.skipped)
    total.duplicates.update(part.duplicates)
    total.failed.extend(part.failed)
    total.warnings.extend(part.warnings)
    total.counts.update(part.counts)
    total.interrupted = total.interrupted or part.interrupted
    total.pipeline = part.pipeline or total.pipeline


def keep_raw(items: Iterable[RawInput | Failure], folder: Path) -> Iterator[RawInput | Failure]:
    """Pass ``items`` on, writing each page's bytes to ``folder`` as ``<doc id>.<ext>`` and its
    metadata to the folder's ``meta.jsonl``, so that ``dyadlens ingest folder`` reads it again."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in items:
        if isinstance(item, RawInput):
            name = item.doc_id + _SUFFIXES.get(item.format, ".txt")
            (folder / name).write_bytes(item.data)
            _update_sidecar(folder / "meta.jsonl", {"id": item.doc_id, "file": name, **item.meta})
        yield item


def _update_sidecar(sidecar: Path, row: dict[str, object]) -> None:
    rows = [json.loads(line) for line in sidecar.read_text(encoding="utf-8").splitlines()] if sidecar.exists() else []
    rows = [old for old in rows if old.get("file") != row["file"]] + [row]
    sidecar.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
