"""Put a reader's paragraphs together into one Document: text, sections and page map in one pass.

Every reader that understands structure (PDF layout, JATS and HTML markup) hands over ``Part``s:
runs of paragraphs that either carry their section kind (from markup, or a caption or table found
in the layout) or leave it to the heading rules of ``extractor.sections``. Paragraphs are joined
with blank lines, as in a text file, so the same headings and sentences come out of every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..document import Document, Section
from ..sections import split_sections
from .layout import normalize_characters


@dataclass
class Part:
    """Paragraphs in reading order, each with the page it was printed on (None without pages).

    ``kind`` None: the sections are found from the headings among the paragraphs; otherwise the
    whole part is one section of that kind, with ``heading`` as written.
    """

    kind: str | None = None
    heading: str = ""
    paragraphs: list[tuple[str, int | None]] = field(default_factory=list)
    # paragraph index -> (offset in the paragraph, page): where a paragraph goes on on another page
    turns: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def add(self, text: str, page: int | None = None) -> None:
        text = clean_paragraph(text)
        if text:
            self.paragraphs.append((text, page))

    def extend_last(self, text: str, page: int, join: Callable[[str, str], str]) -> None:
        """Go on with the last paragraph: ``text`` continues it a column or a page later.

        The page where the continuation was printed is kept from its first character on, so a
        sentence there gets its own page, not the page where the paragraph began.
        """
        head, first_page = self.paragraphs[-1]
        tail = clean_paragraph(text)
        whole = clean_paragraph(join(head, tail))
        index = len(self.paragraphs) - 1
        self.paragraphs[-1] = (whole, first_page)
        turns = self.turns.get(index, [])
        if page != (turns[-1][1] if turns else first_page):
            self.turns.setdefault(index, []).append((len(whole) - len(tail), page))


def clean_paragraph(text: str) -> str:
    """One line of normalised text: markup and layout leave runs of whitespace and newlines."""
    return " ".join(normalize_characters(text).split())


def compose(source: str, parts: list[Part], metadata: dict[str, object] | None = None) -> Document:
    """The Document of ``parts`` in order; empty parts are left out."""
    pieces: list[str] = []  # the paragraphs and the blank lines between them, joined once at the end
    length = 0
    sections: list[Section] = []
    page_map: list[tuple[int, int]] = []
    for part in parts:
        if not part.paragraphs:
            continue
        start = length + 2 if length else 0
        first = len(pieces) + (1 if length else 0)  # where this part's first paragraph goes
        for index, (paragraph, page) in enumerate(part.paragraphs):
            if length:
                pieces.append("\n\n")
                length += 2
            offset = length
            pieces.append(paragraph)
            length += len(paragraph)
            pages = [(offset, page)] + [(offset + at, turn) for at, turn in part.turns.get(index, [])]
            for at, turn in pages:
                if turn is not None and (not page_map or page_map[-1][1] != turn):
                    page_map.append((at, turn))
        if part.kind is None:
            sections.extend(Section(s.kind, s.heading, s.start + start, s.end + start)
                            for s in split_sections("".join(pieces[first:])))
        else:
            sections.append(Section(part.kind, part.heading, start, length))
    return Document(source=source, text="".join(pieces), sections=sections, page_map=page_map,
                    metadata=metadata or {})
