"""A small PDF file writer: numbered objects, streams, the cross-reference table.

Objects are written in the order they are made, straight to the file, so a long
edition never holds more than one page's content in memory; an object may be
numbered before it is written (a page names its parent, a content stream names fonts
that are complete only at the end). The trailer's /ID is derived from every byte
written before it, so the same content gives the same file (ISO 32000-1 §14.4).
"""

from __future__ import annotations

import hashlib
from typing import BinaryIO


def pdf_string(text: str) -> str:
    """A PDF text string: literal when ASCII, else UTF-16BE with a byte order mark."""
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        escaped = escaped.replace("\r", "\\r").replace("\n", "\\n")
        return f"({escaped})"
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def pdf_name(text: str) -> str:
    """A PDF name: bytes outside the regular printable ASCII as #xx (§7.3.5)."""
    out = []
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if "!" <= ch <= "~" and ch not in "()<>[]{}/%#":
            out.append(ch)
        else:
            out.append(f"#{byte:02X}")
    return "/" + "".join(out)


def num(value: float) -> str:
    """A PDF number: integers without a point, others to three decimals (trailing zeros
    dropped; the text of `round(value, 3)`, made four times faster by one format)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class PdfWriter:
    def __init__(self, out: BinaryIO, version: str):
        self.out = out
        self.offsets: dict[int, int] = {}
        self.next = 1
        self.position = 0
        self.digest = hashlib.md5()
        self._put(f"%PDF-{version}\n%\xe2\xe3\xcf\xd3\n".encode("latin-1"))

    def _put(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.position += len(data)

    def reserve(self) -> int:
        number = self.next
        self.next += 1
        return number

    def add(self, body: str, number: int | None = None) -> int:
        """Write an object (its body as PDF syntax); returns its number."""
        if number is None:
            number = self.reserve()
        self.offsets[number] = self.position
        self._put(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
        return number

    def stream(self, entries: str, data: bytes, number: int | None = None,
               identity: bytes | None = None) -> int:
        """Write a stream object; `entries` are its dictionary's keys except /Length.

        `identity`, when given, stands for the data in the document ID: a short value
        that changes whenever the data does (a font subset's tag, a photo's digest),
        so that large streams are not hashed again for every file that carries them.
        """
        if number is None:
            number = self.reserve()
        self.offsets[number] = self.position
        self._put(f"{number} 0 obj\n<<{entries} /Length {len(data)}>>\nstream\n"
                  .encode("latin-1"))
        if identity is None:
            self._put(data)
        else:
            self.digest.update(identity)
            self.out.write(data)
            self.position += len(data)
        self._put(b"\nendstream\nendobj\n")
        return number

    def close(self, root: int, info: int) -> None:
        """The cross-reference table and the trailer."""
        missing = [n for n in range(1, self.next) if n not in self.offsets]
        if missing:
            raise ValueError(f"PDF objects reserved but never written: {missing[:5]}")
        document_id = self.digest.hexdigest()
        xref = self.position
        rows = [f"xref\n0 {self.next}\n0000000000 65535 f \n"]
        rows.extend(f"{self.offsets[n]:010d} 00000 n \n" for n in range(1, self.next))
        rows.append(f"trailer\n<< /Size {self.next} /Root {root} 0 R /Info {info} 0 R "
                    f"/ID [<{document_id}> <{document_id}>] >>\nstartxref\n{xref}\n%%EOF\n")
        self.out.write("".join(rows).encode("latin-1"))
