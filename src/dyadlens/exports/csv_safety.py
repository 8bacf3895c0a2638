"""CSV and TSV cells that a spreadsheet cannot run as formulas ("CSV injection").

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return as a formula, and article
text (names, speakers, sentences, outlets) reaches our CSV files, so an
article could plant ``=HYPERLINK(...)`` or a DDE payload in an analyst's
spreadsheet. Following OWASP, such a cell gets a leading ``'`` (shown as
text, never evaluated) and is always written inside double quotes.

The rule only touches text: numbers (``int``, ``float``, ``bool``) and
empty cells are written as they are, and so is text that is a plain decimal
number such as ``-10.0`` or ``+2.5e3`` (a spreadsheet reads it as a number,
not a formula), so a negative Goldstein score or tone stays a number.

Every CSV/TSV writer in dyadlens formats its lines with :func:`csv_line`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeGuard

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_QUOTE_TRIGGERS = ('"', "\r", "\n")


def is_formula_like(value: object) -> TypeGuard[str]:
    """Whether ``value`` is text a spreadsheet would run as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and _PLAIN_NUMBER.fullmatch(value) is None
    )


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` when it is formula-like text; anything else unchanged."""
    return "'" + value if is_formula_like(value) else value


def csv_cell(value: object, delimiter: str = ",") -> str:
    """One cell: neutralised, then quoted (RFC 4180) when neutralised or when the text needs it.

    ``None`` is an empty cell; other values are written with ``str``, as the
    standard ``csv`` module does.
    """
    if value is None:
        return ""
    text = str(neutralise(value))
    if is_formula_like(value) or delimiter in text or any(c in text for c in _QUOTE_TRIGGERS):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(values: Iterable[object], delimiter: str = ",", terminator: str = "\r\n") -> str:
    """One row of cells joined by ``delimiter``, ending with ``terminator``."""
    return delimiter.join(csv_cell(value, delimiter) for value in values) + terminator
