"""Find the inputs behind the paths a user names.

``discover(paths)`` yields one :class:`RawInput` per document, or a
:class:`Failure` for an input that cannot become one, and never stops early:
a bad file or a broken JSON line is reported and the rest goes on.

- A file is one document, by extension: ``.txt``, ``.md``, ``.html``/``.htm``,
  ``.pdf``; ``.jsonl`` gives one document per line (path ``file.jsonl:3``) and
  ``.json`` one per record (an object, or a list of objects: ``file.json:2``).
- A folder is walked recursively in sorted order, hidden entries skipped.
- ``-`` is standard input; its format is sniffed (PDF, JSON lines, HTML, else text).
- A folder's ``meta.jsonl`` (the *sidecar*) is not a document: each row
  (``id`` and/or ``file``, plus ``title``, ``author``, ``outlet``,
  ``published``, ``kind``, ``url``...) becomes ``RawInput.meta`` of the file
  in that folder it names (by ``file``, else by ``id`` = file name without
  extension).

Document ids: a JSON record's ``id``, else the sidecar row's ``id``, else the
file name without extension (``name-3`` for line 3 of a JSON lines file
without ids); standard input that is not JSON gets ``stdin-<hash>``.

``max_bytes`` limits each file, each line of a JSON lines file (such a file
may hold a whole corpus) and standard input.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from dyadlens.model import Failure, RawInput

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SIDECAR_NAME = "meta.jsonl"
STDIN_PATH = "<stdin>"
EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {
        ".txt": "txt",
        ".text": "txt",
        ".md": "md",
        ".markdown": "md",
        ".html": "html",
        ".htm": "html",
        ".pdf": "pdf",
        ".json": "json",
        ".jsonl": "json",
    }
)
_STAGE = "discover"
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|main|div|p|h1)\b", re.I | re.S
)

Item = RawInput | Failure
Sidecar = dict[str, dict[str, Any]]


def discover(
    paths: Sequence[str | Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Every input under ``paths``, in a deterministic order."""
    for given in paths:
        if str(given) == "-":
            yield from _discover_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
            continue
        path = Path(given)
        if path.is_dir():
            yield from _discover_folder(path, max_bytes, visited=set())
        elif path.is_file():
            sidecar, failures = _load_sidecar(path.parent)
            yield from failures
            if path.name != SIDECAR_NAME:
                yield from _discover_file(path, sidecar, max_bytes)
        elif path.is_symlink():
            yield Failure(shown_path(path), "dangling symbolic link: its target does not exist", stage=_STAGE)
        else:
            yield Failure(shown_path(path), "no such file or folder", stage=_STAGE)


# --- folders and files -------------------------------------------------------


def _discover_folder(folder: Path, max_bytes: int, visited: set[Path]) -> Iterator[Item]:
    """Files of ``folder`` and its subfolders; ``visited`` (resolved paths) stops symlink cycles."""
    real = folder.resolve()
    if real in visited:
        return
    visited.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield Failure(str(folder), f"cannot list the folder ({exc.strerror})", stage=_STAGE)
        return
    sidecar, failures = _load_sidecar(folder)
    yield from failures
    for entry in entries:
        if entry.name.startswith(".") or entry.name == SIDECAR_NAME:
            continue
        if entry.is_dir():
            yield from _discover_folder(entry, max_bytes, visited)
        elif entry.is_file():
            yield from _discover_file(entry, sidecar, max_bytes)
        elif entry.is_symlink():
            yield Failure(shown_path(entry), "dangling symbolic link: its target does not exist", stage=_STAGE)


def shown_path(path: Path | str) -> str:
    """``path`` as text that can be printed and stored: bytes that are not UTF-8 become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _discover_file(path: Path, sidecar: Sidecar, max_bytes: int) -> Iterator[Item]:
    """The inputs of one file; anything unexpected becomes one failure naming the file."""
    if shown_path(path) != str(path):
        yield Failure(shown_path(path), "the file name is not valid UTF-8; rename the file", stage=_STAGE)
        return
    try:
        yield from _file_inputs(path, sidecar, max_bytes)
    except Exception as error:  # noqa: BLE001 - one odd file (a race, a special file) must not end the walk
        yield Failure(str(path), f"cannot read the file ({type(error).__name__}: {error})", stage=_STAGE)


def _file_inputs(path: Path, sidecar: Sidecar, max_bytes: int) -> Iterator[Item]:
    suffix = path.suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    if fmt is None:
        yield Failure(str(path), f"unsupported file type {suffix or '(no extension)'}", stage=_STAGE)
        return
    if suffix == ".jsonl":
        yield from _discover_jsonl(path, max_bytes)
        return
    size = path.stat().st_size
    if size > max_bytes:
        yield Failure(str(path), f"file too large: {size} bytes (limit {max_bytes})", stage=_STAGE)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(str(path), f"cannot read the file ({exc.strerror})", stage=_STAGE)
        return
    if suffix == ".json":
        yield from _json_file_records(str(path), path.stem, data)
        return
    row = _sidecar_row(sidecar, path)
    doc_id = str(row.get("id") or path.stem)
    yield RawInput(doc_id=doc_id, path=str(path), format=fmt, data=data, meta=row)


def _sidecar_row(sidecar: Sidecar, path: Path) -> dict[str, Any]:
    return dict(sidecar.get(path.name) or sidecar.get(path.stem) or {})


def _load_sidecar(folder: Path) -> tuple[Sidecar, list[Failure]]:
    """Rows of ``folder/meta.jsonl`` keyed by file name and by id; broken rows become failures."""
    path = folder / SIDECAR_NAME
    if not path.is_file():
        return {}, []
    rows: Sidecar = {}
    failures: list[Failure] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Failure(str(path), f"cannot read the sidecar ({exc})", stage=_STAGE)]
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        row, problem = _parse_record(line)
        if row is not None:
            problem = _unicode_problem(row) or _id_problem(row.get("id"))
            row = None if problem else row
        if row is None or not (row.get("file") or row.get("id")):
            reason = problem or "sidecar row has neither 'file' nor 'id'"
            failures.append(Failure(f"{path}:{number}", reason, stage=_STAGE))
            continue
        meta = {k: v for k, v in row.items() if v is not None}
        for key in (row.get("file"), row.get("id")):
            if key:
                rows[str(key)] = meta
    return rows, failures


# --- JSON records --------------------------------------------------------------


def _discover_jsonl(path: Path, max_bytes: int) -> Iterator[Item]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Failure(str(path), f"cannot read the file ({exc.strerror})", stage=_STAGE)
        return
    with handle:
        yield from _jsonl_records(str(path), path.stem, handle, max_bytes)


def _jsonl_records(path: str, stem: str, lines: Iterator[bytes] | BinaryIO, max_bytes: int) -> Iterator[Item]:
    for number, line in enumerate(lines, start=1):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        if len(line) > max_bytes:
            yield Failure(where, f"record too large: {len(line)} bytes (limit {max_bytes})", stage=_STAGE)
            continue
        yield _record_input(where, f"{stem}-{number}", line)


def _json_file_records(path: str, stem: str, data: bytes) -> Iterator[Item]:
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        yield Failure(path, "not valid JSON (not UTF-8 text)", stage=_STAGE)
        return
    except (ValueError, RecursionError) as exc:
        yield Failure(path, _json_problem(exc), stage=_STAGE)
        return
    if isinstance(parsed, dict):
        yield _record_to_input(path, stem, parsed)
    elif isinstance(parsed, list):
        for number, record in enumerate(parsed, start=1):
            yield _record_to_input(f"{path}:{number}", f"{stem}-{number}", record)
    else:
        yield Failure(path, "JSON input must be an object or a list of objects", stage=_STAGE)


def _record_input(where: str, fallback_id: str, line: bytes) -> Item:
    record, problem = _parse_record(line)
    if record is None:
        return Failure(where, problem or "not a JSON object", stage=_STAGE)
    return _record_to_input(where, fallback_id, record)


def _parse_record(line: str | bytes) -> tuple[dict[str, Any] | None, str | None]:
    try:
        value = json.loads(line)
    except UnicodeDecodeError:
        return None, "not valid UTF-8"
    except json.JSONDecodeError as exc:
        return None, f"broken JSON line ({exc.msg} at column {exc.colno})"
    except (ValueError, RecursionError) as exc:
        return None, _json_problem(exc)
    if not isinstance(value, dict):
        return None, "a JSON line must be an object"
    return value, None


def _json_problem(error: Exception) -> str:
    """Why JSON could not be read, in the user's terms."""
    if isinstance(error, RecursionError):
        return "not valid JSON: nested too deeply"
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
    return "not valid JSON: a number over 4,300 digits"  # Python's limit on integer literals


def _record_to_input(where: str, fallback_id: str, record: Any) -> Item:
    if not isinstance(record, dict):
        return Failure(where, "a JSON record must be an object", stage=_STAGE)
    problem = _unicode_problem(record) or _id_problem(record.get("id"))
    if problem:
        return Failure(where, problem, stage=_STAGE)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return Failure(where, "JSON record has no 'text'", stage=_STAGE, doc_id=_record_id(record))
    meta = {k: v for k, v in record.items() if k != "text" and v is not None}
    doc_id = _record_id(record) or fallback_id
    return RawInput(doc_id=doc_id, path=where, format="json", data=text.encode("utf-8"), meta=meta)


def _record_id(record: Mapping[str, Any]) -> str | None:
    value = record.get("id")
    return str(value) if value not in (None, "") else None


#: The longest document id a record or sidecar row may give.
MAX_ID_CHARS = 200


def _id_problem(value: object) -> str | None:
    if value is None or (isinstance(value, (str, int)) and len(str(value)) <= MAX_ID_CHARS):
        return None
    if not isinstance(value, (str, int)):
        return f"'id' must be a string or a number, not {type(value).__name__}"
    return f"'id' over {MAX_ID_CHARS} characters"


def _unicode_problem(record: Mapping[str, Any]) -> str | None:
    """Which field holds text that is not valid Unicode (JSON's ``\\ud800`` escapes can make a lone surrogate)."""
    for key, value in record.items():
        try:
            json.dumps({key: value}, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            bad = ord(error.object[error.start])
            return f"field {shown_text(str(key))!r} is not valid Unicode (lone surrogate U+{bad:04X})"
    return None


def shown_text(value: str) -> str:
    """``value`` with lone surrogates escaped, so it can be printed and stored."""
    return value.encode("utf-8", errors="backslashreplace").decode("utf-8")


# --- standard input --------------------------------------------------------------


def _discover_stdin(stream: BinaryIO, max_bytes: int) -> Iterator[Item]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Failure(STDIN_PATH, f"input too large (limit {max_bytes} bytes)", stage=_STAGE)
        return
    fmt = sniff_format(data)
    if fmt == "jsonl":
        yield from _jsonl_records(STDIN_PATH, "stdin", iter(data.splitlines()), max_bytes)
        return
    doc_id = f"stdin-{hashlib.sha1(data).hexdigest()[:12]}"
    yield RawInput(doc_id=doc_id, path=STDIN_PATH, format=fmt, data=data)


def sniff_format(data: bytes) -> str:
    """``pdf``, ``jsonl``, ``html`` or ``txt`` for content of unknown origin."""
    head = data.lstrip()[:4096]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{") and _first_line_is_json_object(data):
        return "jsonl"
    if _HTML_START.match(head):
        return "html"
    return "txt"


def _first_line_is_json_object(data: bytes) -> bool:
    first = next((line for line in data.splitlines() if line.strip()), b"")
    record, _ = _parse_record(first)
    return record is not None
