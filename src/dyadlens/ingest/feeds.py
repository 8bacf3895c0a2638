"""Web feeds: the items of an RSS (2.0 or 1.0) or Atom document, and the list of feeds to read.

Feeds are parsed with the standard library's ``xml.etree``, hardened: a feed
that declares a DOCTYPE or an entity is refused before it is parsed, so that
neither entity expansion ("billion laughs") nor an external entity can be
triggered by a server. Feeds do not need either.

Each item is known by its key: the RSS ``guid`` or Atom ``id``, else its link.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import xml.parsers.expat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from dyadlens.errors import InputError

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


@dataclass(frozen=True, slots=True)
class FeedItem:
    key: str  # guid / id, else the link
    link: str  # absolute URL of the article
    title: str | None = None


def read_feed_list(path: Path) -> list[str]:
    """Feed URLs of a text file: one a line; blank lines and ``#`` comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read the feed list ({error})") from None
    urls = [line.split("#", 1)[0].strip() for line in lines]
    return list(dict.fromkeys(url for url in urls if url))


def parse_feed(data: bytes, feed_url: str) -> list[FeedItem]:
    """The items of a feed, in feed order; raises :class:`InputError` for a feed that cannot be read.

    ``feed_url`` is where the feed came from (after redirects): relative item links resolve against it.
    """
    _refuse_declarations(data, feed_url)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise InputError(feed_url, f"not a well-formed XML feed ({error})") from None
    if root.tag == f"{_ATOM}feed":
        items = [_atom_item(entry, feed_url) for entry in root.iter(f"{_ATOM}entry")]
    elif root.tag == "rss" or root.tag.endswith("RDF"):
        items = [_rss_item(item, feed_url) for item in [*root.iter("item"), *root.iter(f"{_RSS1}item")]]
    else:
        raise InputError(feed_url, f"not an RSS or Atom feed (root element {root.tag!r})")
    return [item for item in items if item is not None]


def _refuse_declarations(data: bytes, feed_url: str) -> None:
    """Raise for a DOCTYPE or entity declaration anywhere in the document (expat reports them before parsing on)."""

    def refuse(*_args: object) -> None:
        raise InputError(feed_url, "feed refused: it declares a DOCTYPE or entities (not accepted, for safety)")

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        raise InputError(feed_url, f"not a well-formed XML feed ({error})") from None


def _rss_item(item: ET.Element, feed_url: str) -> FeedItem | None:
    guid = _text(item, "guid")
    guid_element = item.find("guid")
    permalink = guid if guid_element is not None and guid_element.get("isPermaLink", "true") != "false" else None
    link = _text(item, "link") or _text(item, f"{_RSS1}link") or item.get(f"{_RDF}about") or permalink
    if not link:
        return None
    absolute = urljoin(feed_url, link)
    return FeedItem(key=guid or absolute, link=absolute, title=_text(item, "title") or _text(item, f"{_RSS1}title"))


def _atom_item(entry: ET.Element, feed_url: str) -> FeedItem | None:
    links = entry.findall(f"{_ATOM}link")
    chosen = next((link for link in links if link.get("rel", "alternate") == "alternate"), None)
    href = chosen.get("href") if chosen is not None else None
    if not href:
        return None
    absolute = urljoin(feed_url, href)
    return FeedItem(key=_text(entry, f"{_ATOM}id") or absolute, link=absolute, title=_text(entry, f"{_ATOM}title"))


def _text(element: ET.Element, tag: str) -> str | None:
    found = element.find(tag)
    text = (found.text or "").strip() if found is not None else ""
    return text or None
