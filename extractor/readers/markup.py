"""What the JATS and HTML readers share: text of an element without citation markers or floats.

Both formats mark a citation as a superscript or link to the bibliography ("tumor<sup>21,22</sup>")
and put figures and tables inside paragraphs; the running text wants neither, so these helpers
take an element's text while leaving them out, and lay a table out as rows of cells.
"""

from __future__ import annotations

import re
from typing import Callable

from lxml import etree

_CITATION = re.compile(r"^[\s\d,;\-\u2010-\u2015\[\]()]*$")


def local(element: etree._Element) -> str:
    """The tag without namespace, lower case ("" for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def is_citation_marker(element: etree._Element) -> bool:
    """A superscript holding only reference numbers (or links to references)."""
    return local(element) == "sup" and bool(_CITATION.match("".join(element.itertext())))


def element_text(element: etree._Element, skip: Callable[[etree._Element], bool]) -> str:
    """The text of ``element`` and its descendants, leaving out subtrees for which ``skip`` holds
    (their tails stay: they are the text that follows them). Comments are not text."""
    parts = [element.text or ""]
    for child in element:
        name = local(child)
        if name == "br":
            parts.append("\n")
        elif name and not skip(child):
            parts.append(element_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def table_rows(table: etree._Element, skip: Callable[[etree._Element], bool]) -> list[str]:
    """Each row of a table as its cells joined by " | ", in document order."""
    rows = []
    for row in table.iter():
        if local(row) != "tr":
            continue
        cells = [" ".join(element_text(cell, skip).split()) for cell in row if local(cell) in ("td", "th")]
        if any(cells):
            rows.append(" | ".join(cells))
    return rows
