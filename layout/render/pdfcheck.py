"""Re-read a PDF just written, cheaply, before it gets its final name.

Exit code 0 promises the print shop a file that opens. A full parse (pikepdf, pymupdf)
costs 50–200 ms a file, more than drawing a page; this reads only the structure that
every reader needs first, in a few milliseconds:

- the header, and `startxref` / `%%EOF` at the end;
- the cross-reference table that `startxref` points to: it must be a table whose
  entry count agrees with the trailer's /Size, and every object in use must start at
  its recorded offset (`N 0 obj`) — a truncated, padded or spliced file fails here;
- the trailer's /Root leads to the catalog, the catalog to the page tree, whose /Count
  must be the number of pages drawn;
- every font descriptor must carry its embedded font program (/FontFile2, /FontFile or
  /FontFile3), pointing at an object that exists.

Cross-reference streams (PDF 1.5 object streams) are not parsed; paiban does not write
them, and such a file gets the page count and tail checks only.
"""

from __future__ import annotations

import re
from pathlib import Path

from layout.diagnostics import OutputError

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SUBSECTION = re.compile(rb"(\d+) (\d+)\s*\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_REF = rb"\s*(\d+)\s+0\s+R"
_SIZE = re.compile(rb"/Size\s+(\d+)")
_DESCRIPTOR = re.compile(rb"/Type\s*/FontDescriptor\b")
_WINDOW = 1 << 16         # an object's dictionary is read from this much of the file at most


class PdfCheckError(OutputError):
    """A PDF that was written does not read back."""


def check_pdf(path: Path, pages: int) -> None:
    """Raise PdfCheckError unless `path` is a structurally whole PDF of `pages` pages whose
    fonts are embedded."""
    data = path.read_bytes()
    problem = _problem(data, pages)
    if problem:
        raise PdfCheckError(f"{path.name}: {problem}")


def _problem(data: bytes, pages: int) -> str | None:
    if not data.startswith(b"%PDF-1."):
        return "no PDF header"
    tail = _STARTXREF.search(data[-64:])
    if tail is None:
        return "the file does not end with startxref and %%EOF (cut short?)"
    start = int(tail.group(1))
    if data[start:start + 4] != b"xref":
        if re.match(rb"\d+ \d+ obj", data[start:start + 32]):
            return _count_problem_scan(data, pages)      # a cross-reference stream
        return f"startxref points at byte {start}, where there is no cross-reference table"
    offsets, problem = _xref(data, start + 4)
    if problem:
        return problem
    trailer_at = data.find(b"trailer", start)
    trailer = data[trailer_at:trailer_at + 512]
    size = _SIZE.search(trailer)
    if trailer_at < 0 or size is None:
        return "no trailer with /Size after the cross-reference table"
    if int(size.group(1)) != len(offsets):
        return f"the trailer's /Size is {size.group(1).decode()}, the table has {len(offsets)}"
    for number, offset in offsets.items():
        if offset and not data.startswith(f"{number} 0 obj".encode(), offset):
            return f"object {number} is not at its recorded offset {offset}"

    def body(number: int) -> bytes:
        """The object's dictionary (its stream, if any, left out)."""
        offset = offsets.get(number)
        if not offset:
            raise KeyError(number)
        # Searched in place: a slice of the window for every object cost more than the
        # rest of the check on an edition of many pages.
        limit = offset + _WINDOW
        end = data.find(b"endobj", offset, limit)
        if end < 0:
            end = limit
        stream = data.find(b"stream", offset, end)
        return data[offset:stream if stream >= 0 else end]

    try:
        root = int(_need(rb"/Root" + _REF, trailer, "trailer /Root"))
        tree = int(_need(rb"/Pages" + _REF, body(root), "catalog /Pages"))
        count = int(_need(rb"/Count\s+(\d+)", body(tree), "page tree /Count"))
        for number in offsets:
            if not offsets[number]:
                continue
            text = body(number)
            if _DESCRIPTOR.search(text) is None:
                continue
            font = re.search(rb"/FontFile[23]?" + _REF, text)
            if font is None:
                return f"font descriptor {number} has no embedded font program"
            body(int(font.group(1)))
    except KeyError as exc:
        return f"object {exc.args[0]} is referred to but not in the file"
    except ValueError as exc:
        return str(exc)
    if count != pages:
        return f"the page tree counts {count} pages, {pages} were drawn"
    return None


def _need(pattern: bytes, text: bytes, what: str) -> bytes:
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"no {what}")
    return match.group(1)


def _xref(data: bytes, at: int) -> tuple[dict[int, int], str | None]:
    """Object number → offset (0 for free entries) of a classic cross-reference table."""
    offsets: dict[int, int] = {}
    while True:
        while data[at:at + 1] in (b"\r", b"\n", b" "):
            at += 1
        if data.startswith(b"trailer", at):
            return offsets, None
        head = _SUBSECTION.match(data, at)
        if head is None:
            return offsets, f"unreadable cross-reference table at byte {at}"
        first, count = int(head.group(1)), int(head.group(2))
        at = head.end()
        for number in range(first, first + count):
            entry = _ENTRY.match(data, at)
            if entry is None:
                return offsets, f"cross-reference entry {number} is damaged"
            offsets[number] = int(entry.group(1)) if entry.group(3) == b"n" else 0
            at += 20
        if at > len(data):
            return offsets, "the cross-reference table is cut short"


def _count_problem_scan(data: bytes, pages: int) -> str | None:
    counts = re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)
    if not counts:
        return "no page tree found"
    if max(int(c) for c in counts) != pages:
        return f"the page tree counts {max(int(c) for c in counts)} pages, {pages} were drawn"
    return None
