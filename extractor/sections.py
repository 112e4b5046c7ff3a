"""Find the parts of a paper (abstract, introduction, case description, discussion, ...) in its text.

Works on paragraphs (blocks separated by blank lines). A paragraph that is a known heading opens a
section of that kind; a figure or table caption is a section of its own, and a table's rows run on
until prose resumes. The heading vocabulary is data: patterns/sections.jsonl and captions.jsonl.
A text with no heading at all is one case section, since it is then a bare case summary.

Text scraped from a web page often has no paragraph breaks at all: the headings stand inside one
long line ("... the diagnosis. Case presentation A 53-year-old woman ..."), and the page's
navigation repeats them as a table of contents ("Abstract Introduction Case presentation
Discussion References"). An inline heading therefore counts only where a heading would stand: at a
sentence or field boundary, written as a heading (Capitalised or UPPER CASE), followed by a
capitalised word and by running text. Three or more headings in a row are a table of contents, not
headings. A structured abstract's own "Background / Case presentation / Conclusions" stay part of
the abstract; an article-type label ("CASE REPORT") before the abstract or introduction opens no
case section; and nothing but back matter follows the bibliography once the body has begun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .document import CASE, Section
from .regex_screen import Screened, case_folded
from .rules import read_jsonl, row_format

# "2 |", "2.1 |", "II.", "3)" and similar numbering before a heading.
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\s*[.|)]?|[IVX]+\s*[.|)])\s*(?=\S)")
_MAX_HEADING_WORDS = 9
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")
# An inline heading ends with a colon, a full stop or a space, and the next word is capitalised
# (or a number, or an opening bracket): "Discussion of the ..." is prose, "Discussion The ..." is not.
_INLINE_END = r"(?:\s*[:.–—-]\s*|\s+)(?=(?-i:[A-Z0-9(\[\"'“‘]))"
# What may stand before an inline heading: the end of a sentence or field, a reference number,
# or a gap of two or more spaces (web-page layout).
_BOUNDARY_BEFORE = re.compile(r"(?:[.!?:;)\]\"”’*]|\d)\s+$|\s{2,}$")
# Headings with only this between them are one run ("Abstract Introduction ...").
_RUN_GAP = re.compile(r"[\s,;|•·]*")
_TOC_RUN = 3
# Kinds whose heading is followed by running text (not a list of names, keywords or references).
# The kinds a heading of patterns/sections.jsonl may open.
SECTION_KINDS = ("front_matter", "abstract", "introduction", "case", "methods", "results", "discussion", "conclusion",
                 "references", "back_matter")
_PROSE_KINDS = frozenset({"abstract", "introduction", "case", "methods", "results", "discussion", "conclusion"})
_PROSE_WORDS = 10
_MIN_LOWERCASE_WORDS = 3
_WORD = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]+")
# The body's parts, which a structured abstract repeats as its own subheadings; how far those may
# run from "Abstract".
_BODY_KINDS = frozenset({"introduction", "case", "methods", "results", "discussion", "conclusion"})
_MAX_ABSTRACT_CHARS = 5000
_AFTER_REFERENCES = frozenset({"references", "back_matter"})
# A case series numbers its cases from 1: "Case 2" with no "Case 1" before it is no heading.
_CASE_NUMBER = re.compile(r"(\d+)\s*[:.]?$")
# A keyword list ("Keywords Lupus Tacrolimus Introduction ...") ends at the next heading within this.
_MAX_KEYWORDS_CHARS = 400


@dataclass(frozen=True)
class Heading:
    """A heading found in the text; ``line`` when it is a paragraph of its own."""

    start: int
    end: int
    kind: str
    text: str
    line: bool = False
    boundary: bool = True
    prose_follows: bool = True


@dataclass(frozen=True)
class HeadingRules:
    headings: re.Pattern[str]  # the heading patterns as one alternation, group _h{i} the i-th
    kinds: dict[str, str]  # group name -> the section kind its pattern opens
    captions: list[tuple[str, re.Pattern[str]]]
    inline: list[tuple[str, Screened]]  # most paragraphs hold none of their words: not scanned

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> HeadingRules:
        rows = read_jsonl("sections.jsonl", row_format("kind pattern", "where", kind=" ".join(SECTION_KINDS),
                                                       where="line"))
        # One fullmatch over the alternation finds the first pattern that matches the whole line, as
        # trying them in turn would: the alternatives are tried in order, each to the end of the line.
        headings = re.compile("(?:" + "|".join(f"(?P<_h{i}>{r['pattern']})" for i, r in enumerate(rows))
                              + r")\s*[:.]?", re.I)
        inline = [(r["kind"], Screened.compile(rf"(?<![\w#/-])(?P<h>{r['pattern']}){_INLINE_END}", re.I))
                  for r in rows if r.get("where") != "line"]
        captions = [(r["kind"], re.compile(rf"\s*(?:{r['pattern']})", re.I))
                    for r in read_jsonl("captions.jsonl", row_format("kind pattern", kind="caption table"))]
        return cls(headings, {f"_h{i}": r["kind"] for i, r in enumerate(rows)}, captions, inline)

    def heading_kind(self, line: str) -> str | None:
        """The section kind a heading line opens, None if the line is not a known heading.

        A numbered line that is short and names no known kind ("2.1 | TFG::ROS1-fusion") is a
        subsection: it returns "" so the caller keeps the enclosing kind.
        """
        line = line.strip()
        if not line or len(line.split(None, _MAX_HEADING_WORDS)) > _MAX_HEADING_WORDS:  # more words than a heading has
            return None
        numbered = _NUMBERING.match(line)
        bare = line[numbered.end():] if numbered else line
        found = self.headings.fullmatch(bare.strip())
        if found is not None:
            return self.kinds[found.lastgroup]  # a pattern's group closes after any group inside it
        if numbered and "|" in numbered.group(0) and not bare.rstrip().endswith("."):
            return ""
        return None

    def caption_kind(self, paragraph: str) -> str | None:
        for kind, pattern in self.captions:
            if pattern.match(paragraph):
                return kind
        return None

    def inline_headings(self, paragraph: str, offset: int) -> list[Heading]:
        """Headings written inside a paragraph, as a heading is written (see the module doc)."""
        found: dict[int, Heading] = {}
        folded = case_folded(paragraph)
        for kind, pattern in self.inline:
            for match in pattern.finditer(paragraph, folded):
                written = match.group("h")
                letters = [c for c in written if c.isalpha()]
                if not letters[0].isupper():
                    continue
                start, end = match.start("h"), match.end("h")
                capitals = all(c.isupper() for c in letters)
                before = paragraph[max(0, start - 12):start]
                boundary = start == 0 or bool(_BOUNDARY_BEFORE.search(before)) or (
                    capitals and before[-1:].isspace() and not _upper_word_before(before))
                heading = Heading(offset + start, offset + end, kind, written.strip(), False, boundary,
                                  kind not in _PROSE_KINDS or _prose_follows(paragraph[match.end():]))
                if start not in found or end > found[start].end - offset:
                    found[start] = heading
        return [found[k] for k in sorted(found)]


def _upper_word_before(before: str) -> bool:
    """The word before is in capitals too: the candidate is inside an upper-case title."""
    words = before.split()
    return bool(words) and len(words[-1]) > 1 and words[-1].isupper()


def _prose_follows(after: str) -> bool:
    """Running text follows (mostly lowercase words), not a menu of links or a table row."""
    words = _WORD.findall(after[:300])[:_PROSE_WORDS]
    lowercase = sum(w[0].islower() for w in words)
    return lowercase >= _MIN_LOWERCASE_WORDS and 2 * lowercase >= len(words)


def _looks_like_prose(paragraph: str) -> bool:
    """Running text: long enough and ending a sentence, unlike a flattened table row."""
    return len(paragraph) > 200 and paragraph.rstrip().endswith((".", ")")) and paragraph.count(".") >= 2


def _runs(headings: list[Heading], text: str) -> list[list[Heading]]:
    """Headings that follow one another with nothing but spaces and separators between them."""
    runs: list[list[Heading]] = []
    for heading in headings:
        if runs and heading.start >= runs[-1][-1].end and _RUN_GAP.fullmatch(text[runs[-1][-1].end:heading.start]):
            runs[-1].append(heading)
        else:
            runs.append([heading])
    return runs


def _credible(run: list[Heading], after_keywords: bool) -> bool:
    """A run of headings that is not a table of contents, a menu or a table row.

    It must stand where a heading stands: at a boundary, or as a pair ("Abstract Introduction"),
    or right after a keyword list, whose last keyword ends without punctuation.
    """
    if len(run) >= _TOC_RUN:
        return False
    if not (run[0].boundary or len(run) == 2 or after_keywords):
        return False
    return run[-1].line or run[-1].prose_follows


def accepted_headings(candidates: list[Heading], text: str) -> list[Heading]:
    """The candidates that open sections, after the table-of-contents, structured-abstract,
    article-label and bibliography rules of the module doc."""
    candidates = sorted(candidates, key=lambda h: h.start)
    kept: list[tuple[Heading, bool]] = []  # (heading, opens a structured abstract)
    for run in _runs(candidates, text):
        after_keywords = bool(kept) and kept[-1][0].kind == "front_matter" and (
            run[0].start - kept[-1][0].end <= _MAX_KEYWORDS_CHARS)
        if _credible(run, after_keywords):
            for i, heading in enumerate(run):
                kept.append((heading, heading.kind == "abstract" and i + 1 < len(run)
                             and run[i + 1].kind in _BODY_KINDS))
    first_front = next((h.start for h, _ in kept if h.kind in ("abstract", "introduction")), None)
    result: list[Heading] = []
    abstract: tuple[int, set[str]] | None = None  # (start, parts seen) of a structured abstract
    body_started = in_references = False
    last_number = 0  # of the last "Case N" / "Patient N" heading
    for heading, structured in kept:
        if heading.kind == CASE and first_front is not None and heading.start < first_front:
            continue  # an article-type label ("Case report") above the abstract
        number = _CASE_NUMBER.search(heading.text) if heading.kind == CASE else None
        if number is not None:
            if int(number.group(1)) not in (1, last_number + 1):
                continue  # "Patient 3" in a flattened table row, not the third case of a series
            last_number = int(number.group(1))
        if in_references and heading.kind not in _AFTER_REFERENCES:
            continue
        if abstract is not None:
            start, seen = abstract
            if (heading.kind in _BODY_KINDS and heading.kind not in seen
                    and heading.start - start <= _MAX_ABSTRACT_CHARS):
                seen.add(heading.kind)
                continue
            abstract = None
        if structured:
            abstract = (heading.start, set())
        in_references = heading.kind == "references" and body_started
        body_started = body_started or heading.kind in _BODY_KINDS
        result.append(heading)
    return _unlabelled_abstract(result)


def _unlabelled_abstract(headings: list[Heading]) -> list[Heading]:
    """A structured abstract with no "Abstract" above it ("Background: ... Case presentation: ...
    Conclusions: ..." and then the body's "Introduction"): the body opens with its introduction, so
    an introduction after other parts of the body starts the body again, and the parts before it,
    within an abstract's length, are one abstract."""
    first: int | None = None  # index of the first heading of a body part
    for i, heading in enumerate(headings):
        if heading.kind == "abstract":
            return headings
        if heading.kind not in _BODY_KINDS:
            continue
        if first is None:
            first = i
        elif heading.start - headings[first].start > _MAX_ABSTRACT_CHARS:
            return headings
        elif heading.kind == "introduction":
            opening = headings[first]
            return [*headings[:first], Heading(opening.start, opening.end, "abstract", opening.text, opening.line),
                    *headings[i:]]
    return headings


def split_sections(text: str) -> list[Section]:
    """Sections covering the text in order; the first runs from offset 0."""
    rules = HeadingRules.load()
    candidates: list[Heading] = []
    blocks: list[tuple[int, int, str, str]] = []  # captions and tables: (start, end, kind, heading)
    table: tuple[int, str, str] | None = None  # an open table: (start, kind, caption)
    for match in _PARAGRAPH.finditer(text):
        paragraph, start, end = match.group(0), match.start(), match.end()
        kind = rules.heading_kind(paragraph)
        caption = rules.caption_kind(paragraph) if kind is None else None
        if table is not None and (kind or caption or _looks_like_prose(paragraph)):
            blocks.append((table[0], start, table[1], table[2]))
            table = None
        if kind is not None:
            if kind:
                candidates.append(Heading(start, end, kind, paragraph.strip(), line=True))
        elif caption == "table":
            table = (start, caption, paragraph.strip()[:80])
        elif caption:
            blocks.append((start, end, caption, paragraph.strip()[:80]))
        elif table is None:
            candidates.extend(rules.inline_headings(paragraph, start))
    if table is not None:
        blocks.append((table[0], len(text), table[1], table[2]))
    return _sections(text, accepted_headings(candidates, text), blocks)


def _sections(text: str, headings: list[Heading], blocks: list[tuple[int, int, str, str]]) -> list[Section]:
    # Events at one offset: a block's end (resume) before a heading or block that starts there.
    events = sorted([(h.start, 1, h.kind, h.text, True) for h in headings]
                    + [(s, 1, kind, heading, False) for s, _, kind, heading in blocks]
                    + [(e, 0, "", "", False) for _, e, _, _ in blocks])
    marks: list[tuple[int, str, str]] = []  # (start, kind, heading)
    current = "front_matter"
    for start, _, kind, heading, is_heading in events:
        if not kind:
            marks.append((start, current, ""))
            continue
        if is_heading:
            current = kind
        marks.append((start, kind, heading))
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
