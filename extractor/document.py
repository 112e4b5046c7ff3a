"""Document: the text a reader produced, its sections, its page map and its metadata.

Everything downstream addresses the document by character offsets into ``Document.text``; the page
map and the section list turn an offset into the page and the part of the paper it lies in, which
is what evidence and the "only the case description counts" rules need.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

# The section kind of a case description, in the vocabulary of patterns/sections.jsonl.
CASE = "case"


@dataclass(frozen=True)
class Section:
    """A part of the paper: ``kind`` from the vocabulary above, ``heading`` as written."""

    kind: str
    heading: str
    start: int
    end: int


@dataclass
class Document:
    """What a reader hands to the pipeline.

    ``page_map`` holds ``(offset, page)`` pairs in offset order: the text from ``offset`` up to the
    next pair's offset was printed on ``page`` (1-based). It is not one entry per page, because a
    PDF reader moves figure captions and tables out of the running text to the end of the
    document, and their text keeps the page it was printed on. Empty for text without pages.
    ``metadata`` holds what the file itself says of the paper (PDF info, JATS front matter, HTML
    citation tags), which the citation step prefers to guessing from the text.
    """

    source: str
    text: str
    sections: list[Section] = field(default_factory=list)
    page_map: list[tuple[int, int]] = field(default_factory=list)
    metadata: dict[str, object] = field(default_factory=dict)

    def page_at(self, offset: int) -> int | None:
        """1-based page number of a character offset, or None for a text without pages."""
        if not self.page_map:
            return None
        i = bisect_right(self.page_map, (offset, float("inf"))) - 1
        return self.page_map[max(i, 0)][1]

    def section_at(self, offset: int) -> Section | None:
        i = bisect_right([s.start for s in self.sections], offset) - 1
        if i >= 0 and offset < self.sections[i].end:
            return self.sections[i]
        return None

    @property
    def page_count(self) -> int:
        return max((page for _, page in self.page_map), default=0)

    @property
    def has_case_section(self) -> bool:
        return any(s.kind == CASE for s in self.sections)
