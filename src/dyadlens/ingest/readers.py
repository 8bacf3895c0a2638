"""Turn one :class:`RawInput` into a :class:`Document`.

``Document.text`` is what every offset of every record points into, so each
reader decides once what the text is:

- ``txt``/``md``: the decoded text as read (line ends normalised to ``\\n``;
  markdown is kept, its ``#`` headings become heading sentences, and a YAML
  front-matter block gives metadata: ``published_source`` "front-matter");
- ``html``: the main text trafilatura extracts, one block per paragraph,
  blocks separated by a blank line, the page title first; ``Document.raw``
  keeps the markup (a page nested deeper than libxml2's default 255 levels
  is parsed with ``huge_tree``);
- ``pdf``: pypdf's text layer in reading order, wrapped lines joined into
  paragraphs, the double spaces of justified lines collapsed (an encrypted
  PDF is read when the empty password opens it);
- ``json``: the ``text`` field of a JSON record (discovery put it in ``data``
  and the other fields in ``meta``).

Metadata precedence, field by field: ``RawInput.meta`` (a sidecar row or the
JSON record's fields) over format metadata (HTML ``<meta>``, PDF document
info, markdown front matter) over what the text says about itself
(:mod:`dyadlens.ingest.meta`).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from dyadlens.errors import InputError
from dyadlens.ingest.meta import (
    MAX_EXTRA_FIELD_CHARS,
    SCALAR_TYPES,
    bounded_field,
    find_date,
    parse_date,
    read_front_matter,
    read_text_meta,
)
from dyadlens.model import Document, RawInput

FORMATS = ("txt", "md", "html", "pdf", "json")
META_FIELDS = ("title", "author", "outlet", "url", "published", "kind")

#: Share of characters that may be control or replacement characters before
#: an input counts as binary rather than text.
_MAX_NON_TEXT_SHARE = 0.05
_NON_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")


@dataclass(slots=True)
class _Extracted:
    """A reader's result before metadata is merged."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict)  # format metadata (HTML meta, PDF info, front matter)
    raw: str | None = None
    meta_source: str = "html-meta"  # Document.published_source for a date taken from ``meta``
    warnings: tuple[str, ...] = ()  # what the reader left out of the metadata, and why


def read_document(raw: RawInput) -> Document:
    """Read one input; raises :class:`InputError` naming the file and the problem."""
    reader = _READERS.get(raw.format)
    if reader is None:
        raise InputError(raw.path, f"unsupported format {raw.format!r} (expected one of {', '.join(FORMATS)})")
    if not raw.data.strip():
        raise InputError(raw.path, "empty input")
    extracted = reader(raw)
    if not extracted.text.strip():
        raise InputError(raw.path, "no text found in the input")
    if not any(ch.isalpha() for ch in extracted.text):
        raise InputError(raw.path, "no article text: the text has no letters")
    return _build_document(raw, extracted)


def _build_document(raw: RawInput, extracted: _Extracted) -> Document:
    warnings = list(extracted.warnings)
    given = _given_fields(raw.meta, warnings)
    from_format = {k: v for k, v in extracted.meta.items() if v not in (None, "")}
    from_text = read_text_meta(extracted.text)
    published, published_source = _published(raw, given, extracted, from_text.published, from_text.published_source)
    extra = _extra_fields(raw.meta, warnings)
    if given.get("published") and published_source not in ("sidecar", "json"):
        extra["published_unparsed"] = given["published"]
        warnings.append(f"published date {given['published']!r} is not a valid date; ignored")
    fields: dict[str, str | None] = {
        "title": given.get("title") or from_format.get("title") or from_text.title,
        "author": given.get("author") or from_format.get("author") or from_text.author,
        "outlet": given.get("outlet") or from_format.get("outlet"),
        "url": given.get("url") or from_format.get("url"),
        "kind": given.get("kind"),
    }
    for name, value in fields.items():
        if value is not None:
            fields[name], cut = bounded_field(name, value)
            warnings.extend([cut] if cut else [])
    if warnings:
        extra["warnings"] = warnings
    return Document(
        id=raw.doc_id,
        path=raw.path,
        format=raw.format,
        text=extracted.text,
        published=published,
        published_source=published_source,
        raw=extracted.raw,
        content_hash=hashlib.sha1(raw.data).hexdigest(),
        meta=extra,
        title=fields["title"],
        author=fields["author"],
        outlet=fields["outlet"],
        url=fields["url"],
        kind=fields["kind"],
    )


def _given_fields(meta: Mapping[str, Any], warnings: list[str]) -> dict[str, str]:
    """The document fields a sidecar row or JSON record gives, as text; a value that is not text is refused."""
    given: dict[str, str] = {}
    for key in META_FIELDS:
        value = meta.get(key)
        if value in (None, "", []):
            continue
        text = _as_text(value)
        if text is None:
            warnings.append(f"{key} is not text ({type(value).__name__}); ignored")
        elif key == "published":
            given[key] = bounded_field(key, text)[0]
        else:
            given[key] = text
    return given


def _extra_fields(meta: Mapping[str, Any], warnings: list[str]) -> dict[str, Any]:
    """The other metadata fields, each kept while its JSON stays under the limit."""
    extra: dict[str, Any] = {}
    for key, value in meta.items():
        if key in META_FIELDS or key in ("id", "file", "text"):
            continue
        size = len(json.dumps(value, ensure_ascii=False, default=str))
        if len(str(key)) > 100 or size > MAX_EXTRA_FIELD_CHARS:
            warnings.append(
                f"metadata field {str(key)[:40]!r} over {MAX_EXTRA_FIELD_CHARS} characters ({size}); dropped"
            )
        else:
            extra[str(key)] = value
    return extra


def _as_text(value: object) -> str | None:
    """A metadata value as one string (a JSON list of authors becomes "A, B"); None for a nested value."""
    if isinstance(value, list) and all(isinstance(v, SCALAR_TYPES) or v is None for v in value):
        return ", ".join(str(v) for v in value if v not in (None, ""))
    if isinstance(value, SCALAR_TYPES):
        return str(value).strip()
    return None


def _published(
    raw: RawInput,
    given: Mapping[str, Any],
    extracted: _Extracted,
    text_date: str | None,
    text_source: str | None,
) -> tuple[str | None, str | None]:
    """The publication date and where it came from, by the precedence above.

    A metadata date that cannot be read falls through to the next source (the
    raw value is kept in ``Document.meta["published_unparsed"]``).
    """
    value = _metadata_date(given.get("published"))
    if value:
        return value, "json" if raw.format == "json" else "sidecar"
    if extracted.meta.get("published"):
        return extracted.meta["published"], extracted.meta_source
    return text_date, text_source


def _metadata_date(value: object) -> str | None:
    """An ISO prefix date from a metadata value: a whole date expression, or one inside it (RFC 2822)."""
    if value in (None, ""):
        return None
    text = str(value)
    return parse_date(text) or find_date(text)


# --- text ------------------------------------------------------------------


def decode_text(raw: RawInput, declared: str | None = None) -> str:
    """UTF-8 text, or UTF-16 or UTF-32 text that opens with its byte-order mark (the mark
    is dropped), with ``\\n`` line ends; binary or undecodable input is an error.

    ``declared`` is a charset the input names for itself (an HTML ``<meta charset>``),
    tried when the bytes are not UTF-8.
    """
    wide = next((encoding for mark, encoding in _WIDE_BOMS if raw.data.startswith(mark)), None)
    text = _decode_wide(raw, wide) if wide else _decode_utf8(raw, declared)
    if _non_text_share(text) > _MAX_NON_TEXT_SHARE:
        raise InputError(raw.path, "binary content (mostly control characters), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Byte-order marks of the encodings whose text is full of NUL bytes. UTF-32's
#: come first: its little-endian mark starts with UTF-16's.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode_wide(raw: RawInput, encoding: str) -> str:
    """UTF-16 or UTF-32 text after its byte-order mark; a NUL character in it means binary, as in UTF-8."""
    try:
        text = raw.data.decode(encoding)
    except UnicodeDecodeError as exc:
        problem = f"not valid {encoding.upper()} text (byte {exc.start}) after its byte-order mark"
        raise InputError(raw.path, problem) from None
    if "\x00" in text:
        raise InputError(raw.path, "binary content (NUL characters), not text")
    return text


def _decode_utf8(raw: RawInput, declared: str | None) -> str:
    if b"\x00" in raw.data:
        raise InputError(raw.path, "binary content (NUL bytes), not text")
    try:
        return raw.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _decode_declared(raw, declared, exc.start)


def _decode_declared(raw: RawInput, declared: str | None, bad_byte: int) -> str:
    if not declared:
        raise InputError(raw.path, f"not valid UTF-8 text (byte {bad_byte})")
    try:
        return raw.data.decode(codecs.lookup(declared).name)
    except LookupError:
        raise InputError(raw.path, f"not valid UTF-8 text and unknown declared charset {declared!r}") from None
    except UnicodeDecodeError as exc:
        raise InputError(raw.path, f"not valid {declared} text (byte {exc.start}), the charset it declares") from None


def _non_text_share(text: str) -> float:
    return len(_NON_TEXT.findall(text)) / max(len(text), 1)


def _read_plain(raw: RawInput) -> _Extracted:
    return _Extracted(text=decode_text(raw))


def _read_markdown(raw: RawInput) -> _Extracted:
    """Markdown as read; a YAML front-matter block gives format metadata (the Cleaner marks the block)."""
    text = decode_text(raw)
    front = read_front_matter(text)
    return _Extracted(text=text, meta=front.fields, meta_source="front-matter", warnings=front.warnings)


# --- html ------------------------------------------------------------------

#: ``<meta>`` names for the author, read from the markup because trafilatura
#: drops the full stop of an initial ("Jane Q. Reporter" -> "Jane Q Reporter").
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author")


def _read_html(raw: RawInput) -> _Extracted:
    from trafilatura import bare_extraction

    markup = decode_text(raw, declared=_declared_charset(raw.data))
    tree, too_deep = _parse_html(markup)
    result = bare_extraction(
        _deep_tree(raw, markup) if too_deep else markup,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
    )
    fields: dict[str, Any] = {} if result is None else result if isinstance(result, dict) else result.as_dict()
    body = fields.get("text") or ""
    if not body.strip():
        raise InputError(raw.path, "no article text found in the HTML")
    date = fields.get("date")
    meta = {
        "title": fields.get("title"),
        "author": (_author_from_meta(tree) if tree is not None else None) or fields.get("author"),
        "outlet": fields.get("sitename"),
        "url": fields.get("url"),
        "published": parse_date(date) if date and _has_date_markup(markup) else None,
    }
    return _Extracted(text=_html_blocks(body, fields.get("title")), meta=meta, raw=markup)


_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.I)


def _declared_charset(data: bytes) -> str | None:
    found = _CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def _html_blocks(text: str, title: str | None) -> str:
    """One block per extracted line, separated by blank lines; the title first if the body lacks it."""
    blocks = [line.strip() for line in text.splitlines() if line.strip()]
    if title and (not blocks or blocks[0] != title.strip()):
        blocks.insert(0, title.strip())
    return "\n\n".join(blocks)


#: How deep libxml2 builds an HTML tree with lxml's ``huge_tree`` option (without
#: it, 255 levels); it drops everything nested deeper without raising.
_MAX_HTML_DEPTH = 2048


def _parse_html(markup: str, huge_tree: bool = False) -> tuple[Any, bool]:
    """The page's lxml tree (None when there is no document) and whether the parser
    stopped at its nesting limit, leaving out what lies deeper."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        huge_tree=huge_tree, encoding="utf-8", collect_ids=False, remove_comments=True, remove_pis=True
    )
    try:
        tree = lxml.html.fromstring(markup.encode("utf-8"), parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return None, False
    return tree, any("Excessive depth" in error.message for error in parser.error_log)


def _deep_tree(raw: RawInput, markup: str) -> Any:
    """A page nested deeper than 255 levels, parsed whole for trafilatura (which parses
    without ``huge_tree`` and would find no text); deeper than the parser can go at all is an error."""
    tree, too_deep = _parse_html(markup, huge_tree=True)
    if too_deep:
        raise InputError(raw.path, f"HTML nested deeper than {_MAX_HTML_DEPTH} levels: the parser would drop its text")
    return tree


def _author_from_meta(tree: Any) -> str | None:
    for name in _AUTHOR_META:
        for attr in ("name", "property"):
            values = tree.xpath(f"//meta[{_lower(f'@{attr}')}='{name}']/@content")
            author = next((str(v).strip() for v in values if v.strip() and not v.startswith("http")), None)
            if author:
                return author
    return None


def _lower(expression: str) -> str:
    """An XPath 1.0 expression for ``expression`` in lower case (XPath 1.0 has no lower-case())."""
    return f"translate({expression}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"


_DATE_MARKUP = re.compile(
    r"<time\b|published_time|datePublished|name=[\"']?(?:date|pubdate|publish-date|dc\.date|article\.published)",
    re.I,
)


def _has_date_markup(markup: str) -> bool:
    """Whether the page states a date; trafilatura otherwise guesses one (from a URL or the file date)."""
    return bool(_DATE_MARKUP.search(markup))


# --- pdf -------------------------------------------------------------------

#: Without line positions, a line shorter than this share of the page's
#: longest line ends its paragraph.
_SHORT_LINE_SHARE = 0.75
#: A vertical gap this many times the page's usual line gap starts a paragraph.
_PARAGRAPH_GAP = 1.3
_SPACE_RUN = re.compile(r"[ \t\u00a0]{2,}")
#: A line starting with a footnote mark (¹, [1]) always starts a paragraph.
_FOOTNOTE_START = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]|\[\d{1,3}\]\s")


@dataclass(frozen=True, slots=True)
class _LineBox:
    """Where a text line sits on the page: baseline height and font size."""

    y: float
    size: float


def _read_pdf(raw: RawInput) -> _Extracted:
    from pypdf import PdfReader

    if not raw.data.lstrip().startswith(b"%PDF"):
        raise InputError(raw.path, "not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(raw.data), strict=False)
        locked = _needs_password(reader)
        pages = [] if locked else [_page_paragraphs(page) for page in reader.pages]
        info = None if locked else reader.metadata
    except Exception as exc:  # noqa: BLE001 - a damaged file makes pypdf raise almost any exception type
        raise InputError(raw.path, f"malformed or truncated PDF ({type(exc).__name__}: {exc})") from None
    if locked:
        raise InputError(raw.path, "encrypted PDF (needs a password)")
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise InputError(raw.path, "the PDF has no text layer (scanned pages need OCR)")
    meta = {"title": _clean_info(info.title), "author": _clean_info(info.author)} if info else {}
    return _Extracted(text=text, meta=meta)


def _needs_password(reader: Any) -> bool:
    """Whether the PDF is encrypted and the empty password does not open it.

    A PDF with only an owner password (which restricts printing or copying) has an
    empty user password: every viewer opens it without asking, and so does this reader.
    """
    from pypdf import PasswordType

    return bool(reader.is_encrypted) and reader.decrypt("") == PasswordType.NOT_DECRYPTED


def _clean_info(value: object) -> str | None:
    """A document-info string, or None for the empty and "untitled" values PDF tools write."""
    text = str(value).strip() if value else ""
    return text if text and text.lower() not in ("untitled", "unknown", "anonymous") else None


def _page_paragraphs(page: Any) -> str:
    """The page's text (pypdf's reading order) with wrapped lines joined into paragraphs."""
    collector = _LineBoxes()
    text = page.extract_text(visitor_text=collector.visit) or ""
    boxes = collector.finish()
    lines = [line for line in (_SPACE_RUN.sub(" ", raw).strip() for raw in text.splitlines()) if line]
    if not lines:  # a page without text (a scan); the breaks below assume at least one line
        return ""
    breaks = _breaks_from_boxes(boxes) if len(boxes) == len(lines) else _breaks_from_lengths(lines)
    breaks = [
        ends or bool(_FOOTNOTE_START.match(after)) for ends, after in zip(breaks, [*lines[1:], ""], strict=True)
    ]
    paragraphs: list[str] = []
    current = ""
    for line, ends_paragraph in zip(lines, breaks, strict=True):
        current = _join_wrapped(current, line)
        if ends_paragraph:
            paragraphs.append(current)
            current = ""
    return "\n\n".join(paragraphs)


class _LineBoxes:
    """A pypdf text visitor that records one :class:`_LineBox` per non-empty text line."""

    def __init__(self) -> None:
        self.boxes: list[_LineBox] = []
        self.pending: _LineBox | None = None

    def visit(self, text: str, cm: Sequence[float], tm: Sequence[float], font: Any, size: float) -> None:
        for i, piece in enumerate(text.split("\n")):
            if i > 0:
                self._close_line()
            if piece.strip() and self.pending is None:
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                self.pending = _LineBox(y=y, size=size)

    def finish(self) -> list[_LineBox]:
        self._close_line()
        return self.boxes

    def _close_line(self) -> None:
        if self.pending is not None:
            self.boxes.append(self.pending)
            self.pending = None


def _breaks_from_boxes(boxes: Sequence[_LineBox]) -> list[bool]:
    """A line ends its paragraph when the next one sits further down than usual or in another font size."""
    gaps = [a.y - b.y for a, b in pairwise(boxes)]
    positive = sorted(g for g in gaps if g > 0) or [0.0]
    usual = positive[len(positive) // 4]  # the lower quartile: plain line spacing, not paragraph gaps
    breaks = [
        gap > _PARAGRAPH_GAP * usual or abs(a.size - b.size) > 0.5
        for gap, (a, b) in zip(gaps, pairwise(boxes), strict=True)
    ]
    return [*breaks, True]


def _breaks_from_lengths(lines: Sequence[str]) -> list[bool]:
    """Fallback without positions: a clearly short line ends its paragraph."""
    longest = max((len(line) for line in lines), default=0)
    return [len(line) < _SHORT_LINE_SHARE * longest or i == len(lines) - 1 for i, line in enumerate(lines)]


def _join_wrapped(current: str, line: str) -> str:
    if not current:
        return line
    if current.endswith("-") and line[:1].islower():
        return current[:-1] + line
    return f"{current} {line}"


_READERS: Mapping[str, Callable[[RawInput], _Extracted]] = MappingProxyType({
    "txt": _read_plain,
    "md": _read_markdown,
    "json": _read_plain,
    "html": _read_html,
    "pdf": _read_pdf,
})
