"""A streaming XML writer: elements go straight to the file, so a METS document describing
tens of thousands of files never sits in memory as a tree."""

from typing import TextIO
from xml.sax.saxutils import escape, quoteattr


class XmlOut:
    """Writes at `depth`; a whole document (depth 0) starts with the XML declaration, a part of
    one (written aside and put in place later) does not."""

    def __init__(self, out: TextIO, depth: int = 0) -> None:
        self.out = out
        self.depth = depth
        if not depth:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n')

    def _attrs(self, attrs: dict[str, object] | None) -> str:
        if not attrs:
            return ""
        return "".join(f" {k}={quoteattr(str(v))}" for k, v in attrs.items() if v is not None)

    def open(self, tag: str, attrs: dict[str, object] | None = None) -> None:
        self.out.write(f"{'  ' * self.depth}<{tag}{self._attrs(attrs)}>\n")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.out.write(f"{'  ' * self.depth}</{tag}>\n")

    def leaf(self, tag: str, text: object = None, attrs: dict[str, object] | None = None) -> None:
        pad = "  " * self.depth
        if text is None:
            self.out.write(f"{pad}<{tag}{self._attrs(attrs)}/>\n")
        else:
            self.out.write(f"{pad}<{tag}{self._attrs(attrs)}>{escape(str(text))}</{tag}>\n")
