"""Build the sample PDF of the example corpus: a short policy note with footnotes.

Run from the repository root:

    .venv/bin/python scripts/make_sample_pdf.py

It writes ``examples/corpus/2025-07-ban-to-recognition.pdf``. The output is
byte-for-byte reproducible (fixed creation date), so re-running it does not
change the committed file's content hash. The built-in Helvetica font covers
Latin-1 only, hence straight quotes and the superscript footnote marks ¹ ² ³.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

OUTPUT = Path(__file__).resolve().parent.parent / "examples" / "corpus" / "2025-07-ban-to-recognition.pdf"
CREATED = datetime(2025, 7, 10, 12, 0, tzinfo=UTC)

HEADER = ("POLICY NOTE", "From ban to recognition: Russia and the Taliban, 2003-2025", "By Amira Haddad", "July 2025")

PARAGRAPHS = (
    "Russia's Supreme Court placed the Taliban on the national list of terrorist organisations in "
    "February 2003, together with more than a dozen other groups.\u00b9 For two decades the listing made "
    "contact a legal risk, yet it never stopped Russian diplomats from meeting the movement when they "
    "judged it useful.",
    "After the Taliban took Kabul on 15 August 2021, Moscow kept its embassy open and invited the new "
    "authorities to the Moscow-format consultations in October of that year. Later rounds followed in "
    "Kazan in September 2023 and in Moscow in October 2024, each with a Taliban delegation at the table.",
    "In May 2024, TASS reported that the foreign and justice ministries had proposed to President "
    "Vladimir Putin that the Taliban be removed from the list.\u00b2 A proposal is not a decision: the "
    "movement stayed on the list while the legal route was prepared. In December 2024 a new law allowed "
    "courts to suspend such a ban, and on 17 April 2025 the Supreme Court did so at the request of the "
    "prosecutor general.",
    "On 3 July 2025 Russia recognised the Islamic Emirate of Afghanistan, the first state to do so, and "
    "accepted the credentials of Gul Hassan Hassan as the Taliban's ambassador in Moscow.\u00b3 Zamir "
    "Kabulov, who served for years as the Kremlin's special envoy for Afghanistan, had long argued that "
    "engagement would serve Russian security better than isolation.",
    "Moscow should now tie further cooperation to concrete steps against ISKP, whose attack on the "
    "Crocus City Hall in March 2024 showed the cost of failure. If the Taliban cannot deliver, Russia "
    "may find that recognition has bought it less influence than it expected.",
)

FOOTNOTES = (
    "\u00b9 Supreme Court of the Russian Federation, decision of 14 February 2003 on the listing of "
    "terrorist organisations.",
    "\u00b2 TASS, report on the ministries' proposal to remove the Taliban from the list, 27 May 2024.",
    "\u00b3 Ministry of Foreign Affairs of the Russian Federation, statement on recognition, 3 July 2025.",
)


def build_pdf() -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(CREATED)
    pdf.set_title(HEADER[1])
    pdf.set_author(HEADER[2].removeprefix("By "))
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=9)
    _block(pdf, HEADER[0], 5)
    pdf.set_font("Helvetica", style="B", size=15)
    _block(pdf, HEADER[1], 8)
    pdf.set_font("Helvetica", size=10)
    _block(pdf, HEADER[2], 5)
    _block(pdf, HEADER[3], 5)
    pdf.set_font("Times", size=11)
    for paragraph in PARAGRAPHS:
        pdf.ln(3)
        pdf.multi_cell(0, 5.5, paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Times", size=8)
    for note in FOOTNOTES:
        _block(pdf, note, 4)
    return bytes(pdf.output())


def _block(pdf: FPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def main() -> int:
    OUTPUT.write_bytes(build_pdf())
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
