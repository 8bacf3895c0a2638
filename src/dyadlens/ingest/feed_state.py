"""What the store remembers of each web feed: the validators of its last full answer
(ETag, Last-Modified) and the keys of the items already ingested (tables ``feeds``
and ``feed_items``, migration ``0007_feed_state``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select

from dyadlens.ingest.feeds import FeedItem
from dyadlens.store import Store
from dyadlens.store.schema import feed_items, feeds


@dataclass(frozen=True, slots=True)
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    seen: frozenset[str] = frozenset()  # item keys already ingested

    def conditional_headers(self) -> dict[str, str]:
        """The headers of a conditional GET: the server answers 304 when the feed is unchanged."""
        headers = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in headers.items() if value}


def load_feed_state(store: Store, feed_url: str) -> FeedState:
    with store.reader() as conn:
        row = conn.execute(select(feeds.c.etag, feeds.c.last_modified).where(feeds.c.url == feed_url)).first()
        seen = conn.scalars(select(feed_items.c.item).where(feed_items.c.feed == feed_url))
        keys = frozenset(seen)
    if row is None:
        return FeedState(seen=keys)
    return FeedState(etag=row.etag, last_modified=row.last_modified, seen=keys)


def record_items(store: Store, feed_url: str, items: Iterable[FeedItem], already: frozenset[str]) -> None:
    """Note ``items`` as ingested (those not in ``already``)."""
    now = _now()
    rows = [{"feed": feed_url, "item": item.key, "url": item.link, "seen": now} for item in items]
    rows = [row for row in rows if row["item"] not in already]
    if rows:
        with store.transaction() as conn:
            conn.execute(feed_items.insert(), rows)


def record_validators(store: Store, feed_url: str, etag: str | None, last_modified: str | None) -> None:
    """Keep the validators of a feed whose new items were all ingested."""
    with store.transaction() as conn:
        conn.execute(delete(feeds).where(feeds.c.url == feed_url))
        conn.execute(feeds.insert().values(url=feed_url, etag=etag, last_modified=last_modified, checked=_now()))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
