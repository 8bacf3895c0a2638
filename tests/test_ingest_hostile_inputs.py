"""Inputs that are odd or hostile: each is read, or refused with a reason (issue #10, item 9)."""

from __future__ import annotations

import codecs
import io
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fpdf import FPDF

from dyadlens.cli import main
from dyadlens.errors import InputError
from dyadlens.ingest.clean import Cleaner
from dyadlens.ingest.readers import read_document
from dyadlens.model import DocumentRecords, Failure, RawInput
from dyadlens.pipeline import Pipeline
from dyadlens.runner import process
from dyadlens.terminal_safety import escape_for_terminal, escape_json_output

PARAGRAPH = (
    "Envoys from two neighbouring states agreed on Monday to reopen the mountain border crossing, "
    "and officials said lorries would pass again from next week."
)


def raw(data: bytes | str, fmt: str = "txt", path: str = "doc.txt", **meta: object) -> RawInput:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return RawInput(doc_id="doc", path=path, format=fmt, data=payload, meta=dict(meta))


def problem_of(data: bytes | str, fmt: str = "txt") -> str:
    with pytest.raises(InputError) as caught:
        read_document(raw(data, fmt=fmt, path=f"in.{fmt}"))
    return caught.value.problem


def cleaned(data: bytes | str, fmt: str = "txt") -> DocumentRecords | Failure:
    """The input read and cleaned as an ingest would: records, or the failure it records."""
    return process(Pipeline([Cleaner()]), raw(data, fmt=fmt, path=f"in.{fmt}"))


def page(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><div>{body}</div></body></html>"


# --- a. encrypted PDFs --------------------------------------------------------


def encrypted_pdf(user_password: str, owner_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, PARAGRAPH)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.encrypt(user_password, owner_password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_with_only_an_owner_password_is_read() -> None:
    document = read_document(raw(encrypted_pdf("", "owner-secret"), fmt="pdf", path="brief.pdf"))
    assert "agreed on Monday to reopen the mountain border crossing" in document.text


def test_pdf_that_needs_a_user_password_is_refused() -> None:
    assert problem_of(encrypted_pdf("user-secret", "owner-secret"), "pdf") == "encrypted PDF (needs a password)"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_encrypted_with_any_usual_algorithm_and_no_user_password_is_read(algorithm: str) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = encrypted_pdf("", "owner-secret")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain), password=""))
    writer.encrypt("", "owner-secret", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    document = read_document(raw(buffer.getvalue(), fmt="pdf", path="brief.pdf"))
    assert "agreed on Monday to reopen the mountain border crossing" in document.text


# --- b. UTF-16 and UTF-32 -----------------------------------------------------

TEXT = "Déclaration commune\n\nLes ministres se sont réunis à Kyiv lundi. Переговоры продолжатся.\n"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_text_with_a_utf16_or_utf32_byte_order_mark_is_decoded(bom: bytes, encoding: str) -> None:
    document = read_document(raw(bom + TEXT.replace("\n", "\r\n").encode(encoding)))
    assert document.text == TEXT


def test_utf16_html_is_read() -> None:
    markup = page("Border talks", PARAGRAPH)
    document = read_document(raw(markup.encode("utf-16"), fmt="html", path="page.html"))
    assert PARAGRAPH in document.text


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (codecs.BOM_UTF16_LE + random.Random(0).randbytes(4000), "not valid UTF-16 text"),
        (codecs.BOM_UTF32_BE + random.Random(1).randbytes(4000), "not valid UTF-32 text"),
        (codecs.BOM_UTF16_LE + "Text\x00with a NUL".encode("utf-16-le"), "binary content (NUL characters)"),
        (b"abc\x00\x01\x02def", "binary content (NUL bytes)"),
    ],
)
def test_binary_is_still_refused_whatever_it_starts_with(data: bytes, problem: str) -> None:
    assert problem_of(data).startswith(problem)


# --- c. no letters, boilerplate only ------------------------------------------


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        ("12345 67890\n\n2024-01-01 10:00\n", "txt"),
        ("!!! ... ??? --- ***\n", "md"),
        ("🙂 🎉 👍\n", "txt"),
        ("42", "json"),
    ],
)
def test_text_without_letters_is_refused(data: str, fmt: str) -> None:
    assert problem_of(data, fmt) == "no article text: the text has no letters"


@pytest.mark.parametrize(
    "markup",
    [
        page("Example News", "Home", "Menu", "Search", "Share this article", "Subscribe to our newsletter",
             "© 2024 Example Media. All rights reserved."),
        page("Example News", "We use cookies to give you the best experience on our website.",
             "Accept all cookies", "Manage preferences"),
        page("Example News", "12345 67890", "2024-01-01 10:00"),
    ],
    ids=["navigation-and-share", "cookie-banner", "no-letters-below-the-title"],
)
def test_boilerplate_only_html_is_refused(markup: str) -> None:
    failure = cleaned(markup, "html")
    assert isinstance(failure, Failure)
    assert failure.stage == "clean"
    assert "no article text: every line is a page title, site furniture" in failure.reason


def test_front_matter_only_markdown_is_refused() -> None:
    failure = cleaned("---\ntitle: Rail corridor plans\ndate: 2025-07-21\n---\n", "md")
    assert isinstance(failure, Failure) and "no article text" in failure.reason


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        ("Peru berated Chile.", "txt"),
        ("Talks resume\n\nTalks resume on Friday.\n", "txt"),
        (page("Talks resume", "Talks resume on Friday.", "Share this article"), "html"),
        ("Kyiv 12:00", "json"),
    ],
)
def test_short_real_articles_are_kept(data: str, fmt: str) -> None:
    records = cleaned(data, fmt)
    assert isinstance(records, DocumentRecords), records


# --- d. deeply nested HTML ------------------------------------------------------


def nested(depth: int) -> str:
    return (
        '<html><head><title>Border talks</title><meta name="author" content="Jane Q. Reporter"></head><body>'
        + "<div>" * depth
        + f"<p>{PARAGRAPH}</p><p>Customs officers will work in two shifts at the crossing.</p>"
        + "</div>" * depth
        + "</body></html>"
    )


def test_html_nested_300_levels_deep_is_read_whole() -> None:
    document = read_document(raw(nested(300), fmt="html", path="deep.html"))
    assert PARAGRAPH in document.text
    assert "Customs officers will work in two shifts" in document.text
    assert document.author == "Jane Q. Reporter"


def test_html_nested_beyond_the_parser_limit_is_refused() -> None:
    problem = problem_of(nested(2100), "html")
    assert problem == "HTML nested deeper than 2048 levels: the parser would drop its text"


# --- e. control and bidi characters on the terminal -----------------------------

RLO, ESC = "\u202e", "\x1b"
HOSTILE_TITLE = f"Talks {RLO}gnp.exe{ESC}[2J resumed"
#: Joiners are format characters too, but Persian words and emoji need them: they stay.
PERSIAN_AND_EMOJI = "Tehran \u0645\u06cc\u200c\u06af\u0648\u06cc\u062f 👩\u200d💻"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"a{RLO}b", "a\\u202eb"),
        (f"a{ESC}[31mb", "a\\x1b[31mb"),
        ("a\rb\x07c\x9bd", "a\\x0db\\x07c\\x9bd"),
        ("\u2066\u2069\u200e\u200f\u061c\u202a", "\\u2066\\u2069\\u200e\\u200f\\u061c\\u202a"),
        ("line one\n\tline two", "line one\n\tline two"),
        (PERSIAN_AND_EMOJI, PERSIAN_AND_EMOJI),
    ],
)
def test_escape_for_terminal(text: str, shown: str) -> None:
    assert escape_for_terminal(text) == shown


def test_escaped_json_is_the_same_value() -> None:
    value = {"title": HOSTILE_TITLE + "\x85\u2028"}
    dumped = escape_json_output(json.dumps(value, ensure_ascii=False))
    assert RLO not in dumped and ESC not in dumped and "\x85" not in dumped and "\u2028" not in dumped
    assert json.loads(dumped) == value


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "in").mkdir()
    text = f"Envoys met at the lake.{RLO} They spoke{ESC}]0;x{ESC}\\ for an hour."
    record = {"id": "rlo", "title": HOSTILE_TITLE, "text": text}
    (root / "in" / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = root / "hostile.db"
    result = cli(db, "ingest", str(root / "in"), "--upto", "sentences")
    assert result.exit_code == 0, result.output
    return db


def cli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)


@pytest.mark.parametrize("command", [["docs"], ["show", "rlo"]])
def test_cli_text_output_escapes_bidi_and_control_characters(hostile_store: Path, command: list[str]) -> None:
    shown = cli(hostile_store, *command).stdout
    assert RLO not in shown and ESC not in shown
    assert "Talks \\u202egnp.exe\\x1b[2J resumed" in shown


def test_cli_json_output_keeps_the_exact_text_escaped(hostile_store: Path) -> None:
    output = cli(hostile_store, "docs", "--json").stdout
    assert RLO not in output and ESC not in output
    assert json.loads(output)[0]["title"] == HOSTILE_TITLE


def test_jsonl_export_escapes_bidi_controls_and_keeps_the_value(tmp_path: Path) -> None:
    from dyadlens.store.export import write_rows

    out = io.BytesIO()
    row = {"id": "x", "title": "Talks \u202eevil\u202c end"}
    assert write_rows([row], "jsonl", out) == 1
    line = out.getvalue().decode("utf-8")
    assert "\u202e" not in line and "\\u202e" in line
    assert json.loads(line) == row
