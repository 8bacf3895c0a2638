"""Collecting from the web against a local HTTP server started by the tests (127.0.0.1 only):
pages ingested with their metadata, robots.txt, limits, redirects, feeds read incrementally
with conditional GETs, hostile feeds refused, failures per URL, the per-host rate limit."""

from __future__ import annotations

import itertools
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyadlens.cli import main
from dyadlens.errors import InputError
from dyadlens.ingest.collect import Collector, fetch_urls, read_feeds
from dyadlens.ingest.feeds import parse_feed, read_feed_list
from dyadlens.ingest.fetch import url_doc_id
from dyadlens.ingest.politeness import FetchError, FetchPolicy, PoliteClient, user_agent
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.store import Store, open_store

pytestmark = pytest.mark.fast

Answer = tuple[int, dict[str, str], bytes]


def article(title: str, outlet: str, published: str, body: str) -> bytes:
    """An invented news page with the metadata a real one carries in its head."""
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{published}T08:00:00Z"></head>
<body><article><h1>{title}</h1><p>{body}</p>
<p>Officials from both ministries said the next round would follow within weeks.</p></article></body></html>
""".encode()


PAGES = {
    "/news/river-talks": article(
        "Ministers meet on river treaty", "Harbour Gazette", "2025-03-14",
        "The foreign minister of Northland met her Southland counterpart to discuss the shared river.",
    ),
    "/news/border-visit": article(
        "Envoy visits border crossing", "Harbour Gazette", "2025-04-02",
        "A Westland envoy toured the reopened border crossing and praised the customs officers.",
    ),
    "/news/trade-envoy": article(
        "Trade envoy named", "Valley Courier", "2025-05-20",
        "Eastland appointed a special envoy to restart the stalled trade negotiations with Northland.",
    ),
    "/private/leak": article("Internal memo", "Harbour Gazette", "2025-01-01", "This page is not for crawlers."),
}


def rss(links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{link}</link><guid>urn:item:{link}</guid></item>"
        for i, link in enumerate(links)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>{items}</channel></rss>'.encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Courier</title><id>urn:courier</id>
<entry><title>Trade envoy named</title><id>urn:courier:1</id>
<link rel="alternate" href="/news/trade-envoy"/><link rel="enclosure" href="/media/photo.jpg"/></entry>
</feed>"""

EVIL = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><item><title>&b;</title><link>/news/river-talks</link></item></channel></rss>"""


@dataclass
class Site:
    """The local web site: its answers by path, and a log of the requests it received."""

    routes: dict[str, Callable[[BaseHTTPRequestHandler], Answer]] = field(default_factory=dict)
    log: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)
    base: str = ""
    feed_links: list[str] = field(default_factory=lambda: ["/news/river-talks", "/news/border-visit"])

    def requests_for(self, path: str) -> list[tuple[float, str, dict[str, str]]]:
        return [entry for entry in self.log if entry[1] == path]


def html(body: bytes) -> Answer:
    return 200, {"Content-Type": "text/html; charset=utf-8", "Last-Modified": "Fri, 14 Mar 2025 09:00:00 GMT"}, body


def build_routes(site: Site) -> None:
    site.routes.update({path: (lambda _h, body=body: html(body)) for path, body in PAGES.items()})
    robots = b"User-agent: *\nDisallow: /private/\n"
    site.routes["/robots.txt"] = lambda _h: (200, {"Content-Type": "text/plain"}, robots)
    site.routes["/feed.rss"] = lambda handler: rss_answer(site, handler)
    site.routes["/feed.atom"] = lambda _h: (200, {"Content-Type": "application/atom+xml"}, ATOM)
    site.routes["/evil.rss"] = lambda _h: (200, {"Content-Type": "application/rss+xml"}, EVIL)
    site.routes["/slow"] = lambda _h: (time.sleep(1.0), html(PAGES["/news/river-talks"]))[1]
    site.routes["/big"] = lambda _h: (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 50_000 + b"</p>")
    site.routes["/archive.zip"] = lambda _h: (200, {"Content-Type": "application/zip"}, b"PK\x03\x04" + b"\x00" * 20)
    site.routes["/old-address"] = lambda _h: (301, {"Location": "/news/border-visit"}, b"")
    site.routes["/loop"] = lambda _h: (302, {"Location": "/loop"}, b"")


def rss_answer(site: Site, handler: BaseHTTPRequestHandler) -> Answer:
    """The RSS feed, with an ETag that changes with its items; a matching If-None-Match gets 304."""
    body = rss(site.feed_links)
    etag = f'"v{len(site.feed_links)}"'
    if handler.headers.get("If-None-Match") == etag:
        return 304, {"ETag": etag}, b""
    return 200, {"Content-Type": "application/rss+xml", "ETag": etag}, body


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.log.append((time.monotonic(), self.path, dict(self.headers.items())))
            route = site.routes.get(self.path)
            status, headers, body = route(self) if route else (404, {"Content-Type": "text/plain"}, b"not here")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


@pytest.fixture()
def site() -> Iterator[Site]:
    site = Site()
    build_routes(site)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture()
def store(db_path: Path) -> Iterator[Store]:
    with open_store(db_path) as opened:
        yield opened


def collector(store: Store, resources: Resources, timeout: float = 5.0, max_bytes: int = 1_000_000) -> Collector:
    policy = FetchPolicy(user_agent=user_agent("ops@example.org"), delay=0.0, timeout=timeout, max_bytes=max_bytes)
    client = PoliteClient(policy)
    return Collector(store=store, pipeline=build_pipeline(resources, upto="sentences"), client=client)


# --- fetch ----------------------------------------------------------------------


def test_pages_are_ingested_with_title_date_and_outlet(
    site: Site, store: Store, model_free_resources: Resources
) -> None:
    url = site.base + "/news/river-talks"
    report = fetch_urls(collector(store, model_free_resources), [url])
    assert report.stored == [url_doc_id(url)]
    doc = store.document(url_doc_id(url))
    assert doc is not None
    assert (doc.title, doc.outlet, doc.published, doc.url) == (
        "Ministers meet on river treaty", "Harbour Gazette", "2025-03-14", url,
    )
    assert doc.meta["http_last_modified"] == "Fri, 14 Mar 2025 09:00:00 GMT"
    assert "shared river" in doc.text
    assert site.requests_for("/news/river-talks")[0][2]["User-Agent"].endswith("(+ops@example.org)")


def test_a_page_fetched_again_unchanged_is_skipped(site: Site, store: Store, model_free_resources: Resources) -> None:
    url = site.base + "/news/border-visit"
    fetch_urls(collector(store, model_free_resources), [url])
    again = fetch_urls(collector(store, model_free_resources), [url])
    assert (again.stored, again.skipped) == ([], [url_doc_id(url)])


def test_the_document_id_is_stable_for_a_url() -> None:
    assert url_doc_id("HTTP://Example.ORG/a?b=1#top") == url_doc_id("http://example.org/a?b=1")
    assert url_doc_id("http://example.org/a") != url_doc_id("http://example.org/b")
    assert url_doc_id("http://example.org/a").startswith("web-example.org-")


def test_each_failure_names_its_url_and_the_others_go_on(
    site: Site, store: Store, model_free_resources: Resources
) -> None:
    paths = ["/private/leak", "/slow", "/big", "/archive.zip", "/missing", "/loop", "/news/river-talks"]
    urls = [site.base + path for path in paths] + ["ftp://127.0.0.1/file.txt"]
    report = fetch_urls(collector(store, model_free_resources, timeout=0.3, max_bytes=10_000), urls)
    reasons = {failure.path: failure.reason for failure in report.failed}
    assert report.stored == [url_doc_id(site.base + "/news/river-talks")]
    assert "robots.txt" in reasons[site.base + "/private/leak"]
    assert "timed out" in reasons[site.base + "/slow"]
    assert "size limit" in reasons[site.base + "/big"]
    assert "application/zip" in reasons[site.base + "/archive.zip"]
    assert "HTTP 404" in reasons[site.base + "/missing"]
    assert "redirects" in reasons[site.base + "/loop"]
    assert "only http and https" in reasons["ftp://127.0.0.1/file.txt"]
    assert not site.requests_for("/private/leak"), "a disallowed page must not be requested at all"
    assert {f.path for f in store.failures()} >= set(reasons)


def test_a_redirect_is_followed_and_the_final_url_kept(
    site: Site, store: Store, model_free_resources: Resources
) -> None:
    url = site.base + "/old-address"
    fetch_urls(collector(store, model_free_resources), [url])
    doc = store.document(url_doc_id(url))
    assert doc is not None
    assert doc.url == site.base + "/news/border-visit"
    assert doc.title == "Envoy visits border crossing"


def test_requests_to_one_host_are_spaced_by_the_delay(site: Site) -> None:
    client = PoliteClient(FetchPolicy(delay=0.2, timeout=5.0))
    for path in ("/news/river-talks", "/news/border-visit", "/news/trade-envoy"):
        client.get(site.base + path)
    times = [when for when, path, _ in site.log]
    assert site.log[0][1] == "/robots.txt"
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(gaps) == 3
    assert min(gaps) >= 0.15  # 0.2 s apart, less the jitter of a busy machine; unspaced requests are ~1 ms apart


def test_a_server_error_on_robots_txt_forbids_the_host(site: Site) -> None:
    site.routes["/robots.txt"] = lambda _h: (503, {"Content-Type": "text/plain"}, b"busy")
    with pytest.raises(FetchError, match=r"robots\.txt"):
        PoliteClient(FetchPolicy(delay=0.0)).get(site.base + "/news/river-talks")
    assert not site.requests_for("/news/river-talks")


# --- feeds ------------------------------------------------------------------------


def test_a_rerun_fetches_only_new_items(site: Site, store: Store, model_free_resources: Resources) -> None:
    feed = site.base + "/feed.rss"
    first = read_feeds(collector(store, model_free_resources), [feed])
    assert first.feeds[0].as_dict() == {"url": feed, "status": "read", "items": 2, "new": 2, "ingested": 2}
    assert len(first.ingest.stored) == 2

    site.feed_links.append("/news/trade-envoy")
    before = len(site.log)
    second = read_feeds(collector(store, model_free_resources), [feed])
    fetched = [path for _, path, _ in site.log[before:] if path.startswith("/news/")]
    assert fetched == ["/news/trade-envoy"]
    assert second.ingest.stored == [url_doc_id(site.base + "/news/trade-envoy")]
    doc = store.document(second.ingest.stored[0])
    assert doc is not None and doc.outlet == "Valley Courier"


def test_an_unchanged_feed_answers_304_and_nothing_is_fetched(
    site: Site, store: Store, model_free_resources: Resources
) -> None:
    feed = site.base + "/feed.rss"
    read_feeds(collector(store, model_free_resources), [feed])
    before = len(site.log)
    again = read_feeds(collector(store, model_free_resources), [feed])
    requests = site.log[before:]
    assert again.feeds[0].status == "not modified"
    assert [path for _, path, _ in requests if path != "/robots.txt"] == ["/feed.rss"]
    assert requests[-1][2]["If-None-Match"] == '"v2"'


def test_failed_items_are_fetched_again_on_the_next_run(
    site: Site, store: Store, model_free_resources: Resources
) -> None:
    feed = site.base + "/feed.rss"
    site.feed_links.append("/news/late-story")  # 404 on the first run
    first = read_feeds(collector(store, model_free_resources), [feed])
    assert first.feeds[0].ingested == 2 and len(first.ingest.failed) == 1
    site.routes["/news/late-story"] = site.routes["/news/trade-envoy"]
    second = read_feeds(collector(store, model_free_resources), [feed])
    assert second.feeds[0].status == "read", "validators must not be kept while an item is still missing"
    assert second.ingest.stored == [url_doc_id(site.base + "/news/late-story")]


def test_atom_entries_use_their_alternate_link(site: Site, store: Store, model_free_resources: Resources) -> None:
    report = read_feeds(collector(store, model_free_resources), [site.base + "/feed.atom"])
    assert report.ingest.stored == [url_doc_id(site.base + "/news/trade-envoy")]


def test_a_feed_declaring_entities_is_refused(site: Site, store: Store, model_free_resources: Resources) -> None:
    report = read_feeds(collector(store, model_free_resources), [site.base + "/evil.rss", site.base + "/feed.atom"])
    assert [feed.status for feed in report.feeds] == ["failed", "read"]
    assert report.ingest.failed[0].path == site.base + "/evil.rss"
    assert "DOCTYPE" in report.ingest.failed[0].reason
    assert not site.requests_for("/news/river-talks")


def test_feed_parsing_resolves_links_and_rejects_what_is_not_a_feed() -> None:
    items = parse_feed(rss(["/a", "http://other.example/b"]), "http://site.example/feed")
    assert [item.link for item in items] == ["http://site.example/a", "http://other.example/b"]
    assert items[0].key == "urn:item:/a"
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>hello</body></html>", "http://site.example/feed")
    with pytest.raises(InputError, match="well-formed"):
        parse_feed(b"<rss><channel>", "http://site.example/feed")


def test_the_feed_list_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# our sources\nhttp://a.example/rss\n\nhttp://b.example/atom  # courier\n", encoding="utf-8")
    assert read_feed_list(listing) == ["http://a.example/rss", "http://b.example/atom"]


# --- the commands -------------------------------------------------------------------


def test_the_commands_fetch_and_read_feeds(site: Site, tmp_path: Path) -> None:
    pipeline = tmp_path / "light.toml"
    pipeline.write_text(
        '[[stage]]\nname = "clean"\nfactory = "dyadlens.clean.v1"\n\n'
        '[[stage]]\nname = "sentences"\nfactory = "dyadlens.sentences.v1"\n',
        encoding="utf-8",
    )
    db, raw = tmp_path / "web.db", tmp_path / "raw"
    common = ["--delay", "0", "--pipeline", str(pipeline)]
    fetched = CliRunner().invoke(
        main, ["--db", str(db), "fetch", site.base + "/news/river-talks", site.base + "/private/leak",
               "--store-raw", str(raw), *common],
    )
    assert fetched.exit_code == 1, fetched.output
    assert "documents: 1 stored" in fetched.output
    assert re.search(r"failed: \S+/private/leak \(web-[^)]+\): disallowed by the site's robots.txt", fetched.output)
    assert (raw / "meta.jsonl").exists() and len(list(raw.glob("*.html"))) == 1

    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{site.base}/feed.rss\n", encoding="utf-8")
    feeds = CliRunner().invoke(main, ["--db", str(db), "feeds", str(listing), *common])
    assert feeds.exit_code == 0, feeds.output
    assert "2 items, 2 new, 2 ingested" in feeds.output
    assert "1 stored" in feeds.output and "1 skipped" in feeds.output


def test_a_store_from_before_0007_gets_the_feed_tables(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    fixture = Path(__file__).resolve().parent / "fixtures" / "store" / "oslo-talks-0002.sql"
    with sqlite3.connect(old) as conn:
        conn.executescript(fixture.read_text(encoding="utf-8"))
    conn.close()
    with open_store(old) as migrated:
        assert "0007_feed_state" in migrated.migrations()
        with migrated.reader() as reader:
            tables = {name for (name,) in reader.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"feeds", "feed_items"} <= tables
