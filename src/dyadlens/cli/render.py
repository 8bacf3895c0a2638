"""How the commands print: JSON, aligned tables and wrapped article text.

Everything that reaches the terminal from an article or a data file goes
through :func:`terminal_safe` or :func:`dyadlens.terminal_safety.escape_for_terminal`:
an escape sequence or a right-to-left override in an article must not reach
the terminal.
"""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from collections.abc import Callable
from typing import Any, TypeVar

import click

from dyadlens.terminal_safety import escape_for_terminal, escape_json_output

_View = TypeVar("_View")

#: Width of wrapped article text and long lines, whatever the terminal.
WIDTH = 100


def emit_json(payload: Any) -> None:
    click.echo(escape_json_output(json.dumps(payload, ensure_ascii=False, indent=2, default=str)))


def emit_view(as_json: bool, view: _View, render_text: Callable[[_View], str]) -> None:
    """An analysis view as JSON, or as the text its renderer gives."""
    from dyadlens.analysis.common import to_jsonable

    if as_json:
        emit_json(to_jsonable(view))
    else:
        click.echo(escape_for_terminal(render_text(view)))


def terminal_safe(text: str) -> str:
    """Article text on one line, its control and bidi characters escaped."""
    return escape_for_terminal(" ".join(text.split()))


def wrapped(text: str, indent: str = "    ") -> str:
    """Article text flattened and wrapped to 100 columns under an indent (as the analysis views do)."""
    return textwrap.fill(terminal_safe(text), width=WIDTH, initial_indent=indent, subsequent_indent=indent)


def hanging(line: str, indent: str = "      ") -> str:
    """One long ``label: value`` line wrapped to 100 columns, continuation lines indented."""
    return textwrap.fill(
        escape_for_terminal(line), width=WIDTH, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False
    )


def terminal_width() -> int | None:
    """The terminal's width when stdout is one (a pipe or file gets whole lines)."""
    return shutil.get_terminal_size((WIDTH, 24)).columns if sys.stdout.isatty() else None


def fit(line: str, width: int | None) -> str:
    """A numbered line (``  12 | text``) wrapped to ``width`` under its number column; whole when ``width`` is None."""
    if width is None or len(line) <= width:
        return line
    return textwrap.fill(line, width=max(width, 40), subsequent_indent="     | ", break_on_hyphens=False)


def echo_table(headers: list[str], rows: list[list[Any]]) -> None:
    """Plain aligned columns; the last column is not padded, and on a terminal
    it is cut (with …) to keep each row on one line."""
    cells = [[("" if v is None else terminal_safe(str(v))) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    room = terminal_width()
    for row in [headers, *cells]:
        line = "  ".join(v.ljust(w) for v, w in zip(row[:-1], widths[:-1], strict=False)) + "  " + row[-1]
        if room is not None and len(line) > room:
            line = line[: max(room - 1, 0)] + "…"
        click.echo(line.rstrip())
