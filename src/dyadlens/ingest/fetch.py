"""One URL becomes one :class:`RawInput`, read later by the same readers as a file.

The page's bytes are the input (so an unchanged page is skipped like an
unchanged file, by their hash); its format comes from the HTTP Content-Type
(a page sent without one is sniffed like standard input). ``RawInput.meta``
carries what the fetch knows and the page may not say: the final ``url`` after
redirects, the ``fetched`` time and the HTTP ``Last-Modified`` and
``Content-Type``. The publication date is left to the reader, which finds it
in the page's own markup; Last-Modified says when the server last changed the
file, not when the article was published.

Document id: ``web-<host>-<12 hex digits of the URL's sha1>``, stable for a URL
(scheme and host in lower case, fragment dropped).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from urllib.parse import urlsplit, urlunsplit

from dyadlens.ingest.discover import sniff_format
from dyadlens.ingest.politeness import FetchError, PoliteClient, Response
from dyadlens.model import Failure, RawInput

#: Content types an article may come in, by format of the readers.
CONTENT_FORMATS: Mapping[str, str] = MappingProxyType({
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    "text/markdown": "md",
    "application/pdf": "pdf",
})
STAGE = "fetch"
_HOST_CHARS = re.compile(r"[^a-z0-9.-]+")


def normalised_url(url: str) -> str:
    """``url`` with scheme and host in lower case and without its fragment."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def url_doc_id(url: str) -> str:
    """The document id of the page at ``url``: the same URL always gives the same id."""
    normal = normalised_url(url)
    host = _HOST_CHARS.sub("-", urlsplit(normal).hostname or "unknown")
    return f"web-{host}-{hashlib.sha1(normal.encode('utf-8')).hexdigest()[:12]}"


def fetch_inputs(urls: Iterable[str], client: PoliteClient) -> Iterator[RawInput | Failure]:
    """Each URL fetched when the ingest asks for the next input; a failure names its URL."""
    for url in urls:
        yield fetch_input(url, client)


def fetch_input(url: str, client: PoliteClient) -> RawInput | Failure:
    try:
        response = client.get(url)
    except FetchError as error:
        return Failure(url, error.problem, stage=STAGE, doc_id=url_doc_id(url))
    return input_from_response(url, response, fetched=datetime.now(UTC).isoformat(timespec="seconds"))


def input_from_response(url: str, response: Response, fetched: str) -> RawInput | Failure:
    """The raw input of a page fetched from ``url`` (the URL asked for, before redirects)."""
    content_type = response.header("Content-Type")
    fmt = _format_of(content_type, response.data)
    if fmt is None:
        problem = f"content type {content_type!r} is not an article (expected HTML, plain text, markdown or PDF)"
        return Failure(url, problem, stage=STAGE, doc_id=url_doc_id(url))
    meta = {
        "url": response.url,
        "fetched": fetched,
        "http_last_modified": response.header("Last-Modified"),
        "content_type": content_type,
    }
    return RawInput(
        doc_id=url_doc_id(url),
        path=url,
        format=fmt,
        data=response.data,
        meta={key: value for key, value in meta.items() if value},
    )


def _format_of(content_type: str | None, data: bytes) -> str | None:
    if not content_type:
        sniffed = sniff_format(data)
        return "txt" if sniffed == "jsonl" else sniffed
    return CONTENT_FORMATS.get(content_type.split(";")[0].strip().lower())
