"""Find the parts of a paper (abstract, introduction, case description, discussion, ...) in its text.

Works on paragraphs (blocks separated by blank lines). A paragraph that is a known heading opens a
section of that kind; a figure or table caption is a section of its own, and a table's rows run on
until prose resumes. The heading vocabulary is data: patterns/sections.jsonl and captions.jsonl.
A text with no heading at all is one case section, since it is then a bare case summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .document import CASE, Section
from .rules import read_jsonl

# "2 |", "2.1 |", "II.", "3)" and similar numbering before a heading.
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\s*[.|)]?|[IVX]+\s*[.|)])\s*(?=\S)")
_MAX_HEADING_WORDS = 9
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")


@dataclass(frozen=True)
class HeadingRules:
    headings: list[tuple[str, re.Pattern[str]]]
    captions: list[tuple[str, re.Pattern[str]]]

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> HeadingRules:
        headings = [(r["kind"], re.compile(rf"(?:{r['pattern']})\s*[:.]?", re.I))
                    for r in read_jsonl("sections.jsonl")]
        captions = [(r["kind"], re.compile(rf"\s*(?:{r['pattern']})", re.I))
                    for r in read_jsonl("captions.jsonl")]
        return cls(headings, captions)

    def heading_kind(self, line: str) -> str | None:
        """The section kind a heading line opens, None if the line is not a known heading.

        A numbered line that is short and names no known kind ("2.1 | TFG::ROS1-fusion") is a
        subsection: it returns "" so the caller keeps the enclosing kind.
        """
        line = line.strip()
        if not line or len(line.split()) > _MAX_HEADING_WORDS:
            return None
        numbered = _NUMBERING.match(line)
        bare = line[numbered.end():] if numbered else line
        for kind, pattern in self.headings:
            if pattern.fullmatch(bare.strip()):
                return kind
        if numbered and "|" in numbered.group(0) and not bare.rstrip().endswith("."):
            return ""
        return None

    def caption_kind(self, paragraph: str) -> str | None:
        for kind, pattern in self.captions:
            if pattern.match(paragraph):
                return kind
        return None


def _looks_like_prose(paragraph: str) -> bool:
    """Running text: long enough and ending a sentence, unlike a flattened table row."""
    return len(paragraph) > 200 and paragraph.rstrip().endswith((".", ")")) and paragraph.count(".") >= 2


def split_sections(text: str) -> list[Section]:
    """Sections covering the text in order; the first runs from offset 0."""
    rules = HeadingRules.load()
    marks: list[tuple[int, str, str]] = []  # (start, kind, heading)
    current = "front_matter"
    in_table = False
    for match in _PARAGRAPH.finditer(text):
        paragraph = match.group(0)
        kind = rules.heading_kind(paragraph)
        if kind:
            current, in_table = kind, False
            marks.append((match.start(), kind, paragraph.strip()))
            continue
        if kind == "":
            continue
        caption = rules.caption_kind(paragraph)
        if caption:
            marks.append((match.start(), caption, paragraph.strip()[:80]))
            in_table = caption == "table"
            if not in_table:
                marks.append((match.end(), current, ""))
        elif in_table and _looks_like_prose(paragraph):
            in_table = False
            marks.append((match.start(), current, ""))
    if not any(kind not in ("caption", "table", "front_matter") for _, kind, _ in marks):
        marks = [(start, kind, h) for start, kind, h in marks if kind in ("caption", "table")]
        marks.insert(0, (0, CASE, ""))
    elif not marks or marks[0][0] > 0:
        marks.insert(0, (0, "front_matter", ""))
    sections: list[Section] = []
    for i, (start, kind, heading) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        if end <= start:
            continue
        if sections and sections[-1].kind == kind and not heading:
            prev = sections[-1]
            sections[-1] = Section(prev.kind, prev.heading, prev.start, end)
        else:
            sections.append(Section(kind, heading, start, end))
    return sections
