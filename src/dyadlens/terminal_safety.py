"""Text from articles made safe to print: nothing in it can drive the terminal.

An article (or its title, author or file name) can hold control characters:
an ``ESC`` starts a terminal escape sequence (colours, cursor moves, window
titles, hyperlinks), a carriage return overwrites the line it is on, and a
bidi control (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) reorders what
follows it so that the text shown is not the text stored. These characters
are written out as visible escapes (``\\x1b``, ``\\u202e``) instead.

Text output escapes them with :func:`escape_for_terminal`. JSON output keeps
the exact text: :func:`escape_json_output` writes the characters ``json``
leaves raw as ``\\uXXXX`` escapes, which a JSON reader decodes back to the
same characters.

A backslash is not escaped, so text that already contains ``\\u202e`` looks
the same as an escaped override; the escapes are for reading, not for
recovering the text (use ``--json`` for that).
"""

from __future__ import annotations

import re

#: C0 controls but tab and newline, DEL, C1 controls, the bidi controls
#: (ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI), the line and
#: paragraph separators, and lone surrogates (which cannot be printed at all).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def escape_for_terminal(text: str) -> str:
    """``text`` with every unsafe character written as a visible ``\\xNN`` or ``\\uNNNN`` escape."""
    return _UNSAFE.sub(_visible_escape, text)


def escape_json_output(dumped: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with the unsafe characters it left raw
    (DEL, C1 and bidi controls, separators) written as ``\\uNNNN``: the same JSON value.

    ``json.dumps`` never writes these characters outside a string, so replacing them
    anywhere keeps the document valid.
    """
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", dumped)


def _visible_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
