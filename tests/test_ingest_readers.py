"""Readers: one RawInput in, one Document out (or a clear InputError)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from fpdf import FPDF

from dyadlens.errors import InputError
from dyadlens.ingest.readers import read_document
from dyadlens.model import RawInput

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

BRIEF_PARAGRAPHS = (
    "Border trade between the two neighbours rose sharply over the winter, and both governments "
    "now say the mountain crossing should stay open all year round for lorries and buses.",
    "Officials in the capital expect a second agreement on customs fees before the summer, "
    "although the finance ministry has not yet published a draft of it.",
)


def raw(data: bytes | str, fmt: str = "txt", path: str = "doc.txt", **meta: object) -> RawInput:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return RawInput(doc_id="doc", path=path, format=fmt, data=payload, meta=dict(meta))


def make_pdf(paragraphs: tuple[str, ...], title: str = "A short brief on border trade") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    for paragraph in paragraphs:
        pdf.ln(4)
        pdf.multi_cell(0, 6, paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_txt_keeps_text_and_hashes_input_bytes() -> None:
    data = b"A headline\n\nFirst line of the story.\r\nSecond line.\n"
    document = read_document(raw(data))
    assert document.text == "A headline\n\nFirst line of the story.\nSecond line.\n"
    assert document.content_hash == hashlib.sha1(data).hexdigest()
    assert document.raw is None


def test_utf8_bom_is_dropped() -> None:
    document = read_document(raw("\ufeffTitle line\n\nBody text here.".encode("utf-8")))
    assert document.text.startswith("Title line")


def test_markdown_is_kept_as_read() -> None:
    text = "# Envoys meet in Tashkent\n\nThe *talks* lasted two days.\n"
    document = read_document(raw(text, fmt="md", path="a.md"))
    assert document.text == text
    assert document.title == "Envoys meet in Tashkent"


def test_html_main_text_metadata_and_markup() -> None:
    markup = (FIXTURES / "article_with_furniture.html").read_text(encoding="utf-8")
    document = read_document(raw(markup, fmt="html", path="page.html"))
    assert document.title == "Envoys agree to reopen a border crossing"
    assert document.author == "Petra J. Lindqvist"
    assert document.outlet == "The Northern Ledger"
    assert document.published == "2023-03-14"
    assert document.published_source == "html-meta"
    assert document.url == "https://ledger.example.org/world/envoys-border-crossing"
    assert document.raw == markup
    assert document.text.startswith("Envoys agree to reopen a border crossing\n\n")
    assert "Envoys from two neighbouring states agreed on Monday" in document.text
    assert "<p>" not in document.text and "Home" not in document.text.split("\n")


def test_html_without_date_markup_has_no_guessed_date() -> None:
    markup = (
        "<html><head><title>Plain page</title></head><body><article><h1>Plain page</h1>"
        f"<p>{BRIEF_PARAGRAPHS[0]}</p><p>{BRIEF_PARAGRAPHS[1]}</p></article></body></html>"
    )
    document = read_document(raw(markup, fmt="html", path="plain.html"))
    assert document.published is None


def test_sidecar_meta_wins_over_html_meta() -> None:
    markup = (FIXTURES / "article_with_furniture.html").read_text(encoding="utf-8")
    document = read_document(
        raw(markup, fmt="html", path="page.html", author="Desk Editor", published="2023-03", kind="news")
    )
    assert document.author == "Desk Editor"
    assert document.published == "2023-03"
    assert document.published_source == "sidecar"
    assert document.outlet == "The Northern Ledger"
    assert document.kind == "news"


def test_pdf_text_layer_in_reading_order_with_paragraphs_joined() -> None:
    document = read_document(raw(make_pdf(BRIEF_PARAGRAPHS), fmt="pdf", path="brief.pdf"))
    paragraphs = document.text.split("\n\n")
    assert paragraphs == ["A short brief on border trade", *BRIEF_PARAGRAPHS]
    assert "  " not in document.text
    assert document.title == "A short brief on border trade"


def test_json_record_fields_come_through_meta() -> None:
    document = read_document(
        raw(
            "Body of the record. It has two sentences.",
            fmt="json",
            path="records.jsonl:1",
            title="Record title",
            author="R. Writer",
            outlet="Wire Desk",
            published="2022-09-16T10:00:00Z",
            url="https://wire.example.net/x",
            id="r1",
            lang="en",
        )
    )
    assert (document.title, document.author, document.outlet) == ("Record title", "R. Writer", "Wire Desk")
    assert document.published == "2022-09-16"
    assert document.published_source == "json"
    assert document.url == "https://wire.example.net/x"
    assert document.meta == {"lang": "en"}


@pytest.mark.parametrize(
    ("data", "fmt", "problem"),
    [
        (b"", "txt", "empty"),
        (b"  \n\t \n", "txt", "empty"),
        (b"abc\x00\x01\x02def", "txt", "binary"),
        ("caf\u00e9 au lait".encode("latin-1"), "txt", "UTF-8"),
        (bytes(range(1, 32)) * 4, "md", "binary"),
        (b"not a pdf at all", "pdf", "not a PDF"),
        (b"<html><head><title></title></head><body><div></div></body></html>", "html", "no article text"),
    ],
)
def test_bad_inputs_raise_input_error_naming_the_file(data: bytes, fmt: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        read_document(raw(data, fmt=fmt, path=f"bad.{fmt}"))
    assert caught.value.path == f"bad.{fmt}"
    assert problem in caught.value.problem


def test_truncated_pdf_is_an_input_error() -> None:
    data = make_pdf(BRIEF_PARAGRAPHS)
    with pytest.raises(InputError) as caught:
        read_document(raw(data[: len(data) // 3], fmt="pdf", path="cut.pdf"))
    assert "cut.pdf" in str(caught.value)


def test_metadata_lists_and_numbers_become_strings() -> None:
    document = read_document(raw("Title\n\nSome text.", author=["Ana Writer", "Ben Reporter"], published=2024))
    assert (document.author, document.published) == ("Ana Writer, Ben Reporter", "2024")


def test_metadata_date_inside_a_longer_string_is_found() -> None:
    document = read_document(raw("Title\n\nSome text.", published="Tue, 19 Mar 2024 10:00:00 GMT"))
    assert (document.published, document.published_source) == ("2024-03-19", "sidecar")


def test_unreadable_metadata_date_falls_back_and_is_kept() -> None:
    document = read_document(raw("Title\nPublished: 2 May 2022\n\nSome text.", published="someday"))
    assert (document.published, document.published_source) == ("2022-05-02", "header")
    assert document.meta["published_unparsed"] == "someday"


def test_html_in_a_declared_charset() -> None:
    body = "Посол России встретился с делегацией в Кабуле. Переговоры продолжатся в Казани."
    markup = (
        '<html><head><meta charset="windows-1251"><title>Переговоры</title></head>'
        f"<body><article><p>{body}</p><p>{body}</p></article></body></html>"
    )
    document = read_document(raw(markup.encode("windows-1251"), fmt="html", path="ru.html"))
    assert body in document.text


def test_html_with_a_wrong_declared_charset_is_an_input_error() -> None:
    markup = '<html><head><meta charset="ascii"></head><body><p>caf\u00e9</p></body></html>'
    with pytest.raises(InputError, match="ascii"):
        read_document(raw(markup.encode("latin-1"), fmt="html", path="bad.html"))


def test_unknown_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unsupported format"):
        read_document(raw("text", fmt="docx", path="a.docx"))


def _pypdf_bytes(encrypt: bool) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if encrypt:
        writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("encrypt", "problem"), [(True, "encrypted"), (False, "no text layer")])
def test_pdf_without_readable_text_is_an_input_error(encrypt: bool, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        read_document(raw(_pypdf_bytes(encrypt), fmt="pdf", path="scan.pdf"))


def test_markdown_front_matter_gives_metadata_and_is_furniture() -> None:
    from dyadlens.ingest.clean import Cleaner
    from dyadlens.state import DocState

    text = (
        "---\ntitle: Rail corridor plans\nauthors: [Ana Writer, Ben Reporter]\ndate: 2025-07-21\n"
        "source: Example Weekly\n---\n\n# Rail corridor plans\n\nThe plan is old. It may move now.\n"
    )
    document = read_document(raw(text, fmt="md", path="rail.md"))
    assert document.text == text
    assert document.title == "Rail corridor plans"
    assert (document.author, document.outlet) == ("Ana Writer, Ben Reporter", "Example Weekly")
    assert (document.published, document.published_source) == ("2025-07-21", "front-matter")
    state = DocState(document=document)
    Cleaner()(state)
    assert {r.label for r in state.regions} == {"front matter"}
    assert max(r.end for r in state.regions) < text.index("# Rail")
