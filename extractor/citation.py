"""The report's citation: "First-author et al. YEAR", title, authors, year and DOI.

Taken from what the document says of itself and never from its bibliography, whose entries cite
other papers. In order of trust:
- header lines ("Title: ...", "Authors: ...", "Year: ...", "DOI: ..."), as readers write them from
  HTML meta tags or JATS front matter and as curated summaries carry them; a summary that names
  the paper it summarises ("curator summary of Lee et al., 2021") is cited as that paper;
- the file's own metadata (PDF info, HTML citation tags), except an author or title that is a
  tool's, not the paper's;
- the front of the text, before the abstract or the first body heading: the title paragraph, the
  author line ("Anna Lindqvist, Paulo Ferreira-Mendes and Chidi Obi"), the publication year
  ("Published: 14 September 2023", "Journal 2022; 9(3): 211", "© Lindqvist et al. 2022"), and the
  first DOI. A web page saved as one run of text opens with its title, repeated by the article.
A DOI further down counts only outside references, tables, captions and back matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document
from .records import Evidence, Report

DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>,;\]\[]+)", re.I)
HEADER = re.compile(r"^[ \t]*(title|authors?|year|doi)[ \t]*:[ \t]*(.+?)[ \t]*$", re.I | re.M)
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_Y = r"(?P<year>19[5-9]\d|20[0-4]\d)"
# Publication-year statements, most trusted first: what a page says of the paper it shows.
YEAR_STATEMENTS = (
    re.compile(rf"\b(?:published|epub|available online|publication date)\b[^.\n]{{0,40}}?\b{_Y}\b", re.I),
    # A journal reference: "2022; 9(3): 211", "2022;10:e0457", "(2020) 12:301", "2010 Aug; 22(3): 307".
    re.compile(rf"\(?\b{_Y}\)?(?:\s+[A-Z][a-z]{{2,8}}\.?(?:\s+\d{{1,2}})?)?\s*[;,]?\s*\d+\s*(?:\(\s*[\w-]+\s*\))?"
               r"\s*:\s*e?\d+"),
    re.compile(rf"\b{_Y}\s*\|\s*vol(?:ume|\.)?\s*\d+", re.I),
    re.compile(rf"(?:©|\(c\)|copyright)[^\n]{{0,60}}?\b{_Y}\b", re.I),
    re.compile(rf"\b(?:accepted|received|revised)\b[^.\n]{{0,40}}?\b{_Y}\b", re.I),
)
COPYRIGHT_AUTHOR = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?:the authors?[;,]?\s*)?"
                              r"(?P<name>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)\s+et\s+al", re.I)
SUMMARISED = re.compile(r"\b(?:[Ss]ummary of|[Ss]ummari[sz]ing|[Ss]ummari[sz]ed from|[Bb]ased on)\s+"
                        r"(?P<name>[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)\s+et\s+al\.?,?\s*\(?(?P<year>\d{4})")
# Parts of a paper where a DOI, year or name belongs to someone else's paper.
CITED_KINDS = frozenset({"references", "table", "caption", "back_matter"})
# The front of a paper ends where its abstract or body begins.
BODY_START_KINDS = frozenset({"abstract", "introduction", "case", "methods", "results", "discussion"})
_MAX_FRONT_CHARS = 6000
_MAX_TITLE_CHARS = 300
_MIN_TITLE_WORDS = 4
_MAX_AUTHOR_LINE_CHARS = 400
_AUTHOR_LINE_WITHIN = 6  # paragraphs from the top
# Name parts of an author line, beside capitalised words: particles and degrees.
_PARTICLES = frozenset("de del della der den di da das dos du la le van von ter ten bin al el y".split())
_DEGREES = re.compile(r",?\s*\b(?:M\.?D\.?|Ph\.?D\.?|M\.?Sc\.?|B\.?Sc\.?|MBBS|FRCP\w*|MPH|RN|DO)\b\.?")
_MARKERS = re.compile(r"(?<=[^\W\d_])[\d*†‡§¶#]+(?:,[\d*†‡§¶#]+)*")
_TOOL_VALUES = re.compile(r"microsoft|\.docx?$|\.pdf$|\.tex$|untitled|latex|acrobat|^user$", re.I)


@dataclass
class _Found:
    value: str
    start: int
    end: int


def _allowed(document: Document, offset: int) -> bool:
    section = document.section_at(offset)
    return section is None or section.kind not in CITED_KINDS


def _front_end(document: Document) -> int:
    """Where the paper's front matter ends: the first abstract or body section, else a cap."""
    starts = [s.start for s in document.sections if s.kind in BODY_START_KINDS and s.start > 0]
    return min([*starts, _MAX_FRONT_CHARS, len(document.text)])


def _surname(author: str) -> str:
    """"Lindqvist, A." and "Kuriyama Y" -> the part before the initials; "Pieter de Graaf" -> "de Graaf"."""
    author = author.strip()
    if "," in author:
        return author.split(",")[0].strip()
    words = author.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,3}\.?(?:-[A-Z]\.?)?", words[-1]):
        return " ".join(words[:-1])
    i = len(words) - 1
    while i > 0 and words[i - 1].lower() in _PARTICLES:
        i -= 1
    return " ".join(words[i:])


def _split_authors(value: str) -> list[str]:
    value = _MARKERS.sub("", _DEGREES.sub("", re.sub(r"\(.*?\)", "", value)))
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*[;|&]\s*", value)
    return [n.strip(" .") for n in names if n.strip(" .") and len(n.split()) <= 5]


def _is_name(name: str) -> bool:
    """Two to five words, each capitalised (initials included) or a particle ("de", "van")."""
    words = name.split()
    capitalised = [w for w in words if w.lower() not in _PARTICLES]
    return 2 <= len(words) <= 5 and len(capitalised) >= 1 and all(
        w[0].isupper() and all(c.isalpha() or c in "'’.-" for c in w) for w in capitalised)


def _paragraphs(text: str, end: int) -> list[_Found]:
    return [_Found(" ".join(m.group(0).split()), m.start(), m.end())
            for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text[:end]) if m.group(0).strip()]


def _author_line(paragraphs: list[_Found]) -> tuple[int, list[str]] | None:
    """(index, names) of the first front paragraph that is a list of personal names."""
    for i, paragraph in enumerate(paragraphs[:_AUTHOR_LINE_WITHIN]):
        if len(paragraph.value) > _MAX_AUTHOR_LINE_CHARS:
            continue
        names = _split_authors(paragraph.value)
        if names and all(_is_name(n) for n in names):
            return i, names
    return None


def _title(paragraphs: list[_Found], author_line: tuple[int, list[str]] | None) -> _Found | None:
    """The paragraph before the author line, else the first paragraph when it reads as a title.

    A web page saved as one run of text starts with the page title, which the article header
    repeats: the longest opening run of words that occurs again is the title.
    """
    candidate = paragraphs[author_line[0] - 1] if author_line and author_line[0] > 0 else paragraphs[0]
    if len(candidate.value) <= _MAX_TITLE_CHARS and "|" not in candidate.value:
        return candidate if len(candidate.value.split()) >= _MIN_TITLE_WORDS else None
    words = candidate.value[:_MAX_TITLE_CHARS].split()[:-1]
    repeated = None
    for n in range(_MIN_TITLE_WORDS, len(words) + 1):
        prefix = " ".join(words[:n])
        if candidate.value.find(prefix, len(prefix)) < 0:
            break
        repeated = prefix
    if repeated is None:
        return None
    return _Found(repeated.rstrip(" .:|-"), candidate.start, candidate.start + len(repeated))


def _year_in(text: str, end: int) -> _Found | None:
    for pattern in YEAR_STATEMENTS:
        match = pattern.search(text, 0, end)
        if match:
            return _Found(match.group("year"), match.start(), match.end())
    return None


def _doi(document: Document, header: _Found | None, front_end: int) -> _Found | None:
    text = document.text
    if header is not None and DOI.search(header.value):
        match = DOI.search(header.value)
        return _Found(match.group(1), header.start + match.start(1), header.start + match.end(1))
    match = DOI.search(text, 0, front_end) or next(
        (m for m in DOI.finditer(text) if _allowed(document, m.start())), None)
    return _Found(match.group(1), match.start(1), match.end(1)) if match else None


def _evidence(document: Document, found: _Found) -> Evidence:
    return Evidence(text=found.value, start=found.start, end=found.end, page=document.page_at(found.start))


def cite(document: Document, report: Report) -> None:
    """Fill the citation fields of ``report`` from ``document``, with evidence."""
    text = document.text
    front_end = _front_end(document)
    headers = {m.group(1).lower().rstrip("s"): _Found(m.group(2), m.start(2), m.end(2))
               for m in HEADER.finditer(text[:front_end])}
    meta = {k: str(v) for k, v in document.metadata.items()
            if k in ("title", "author", "year", "doi") and v and not _TOOL_VALUES.search(str(v))}
    # A text without a front part (a bare summary) has no title or author line to find.
    paragraphs = _paragraphs(text, front_end) if front_end < len(text) else []
    author_line = _author_line(paragraphs)
    found: dict[str, _Found | None] = {
        "title": headers.get("title") or (_title(paragraphs, author_line)
                                          if paragraphs and "title" not in meta else None),
        "authors": headers.get("author") or (paragraphs[author_line[0]] if author_line else None),
        "doi": None if "doi" in meta and "doi" not in headers else _doi(document, headers.get("doi"), front_end),
        "year": (headers.get("year") if "year" in headers and YEAR.search(headers["year"].value)
                 else None if "year" in meta else _year_in(text, front_end)),
    }
    report.title = found["title"].value if found["title"] else meta.get("title")
    if "author" in headers:
        report.authors = _split_authors(headers["author"].value)
    elif author_line is not None:
        report.authors = author_line[1]
    elif "author" in meta:
        report.authors = _split_authors(meta["author"])
    report.doi = found["doi"].value.rstrip(".)]") if found["doi"] else meta.get("doi")
    year = YEAR.search(found["year"].value if found["year"] else meta.get("year", ""))
    report.year = int(year.group(1)) if year else None
    for name, value in found.items():
        if value is not None:
            report.evidence[name] = _evidence(document, value)
    report.report = _report_name(report, headers, text, front_end)


def _report_name(report: Report, headers: dict[str, _Found], text: str, front_end: int) -> str | None:
    """"Surname et al. YEAR": the paper a summary summarises, else the first author, else the name
    in a copyright line ("© Ekrikpo et al.")."""
    for header in (headers.get("title"), headers.get("author")):
        summarised = SUMMARISED.search(header.value) if header else None
        if summarised:
            return f"{summarised.group('name')} et al. {summarised.group('year')}"
    if report.authors:
        name = _surname(report.authors[0]) + (" et al." if len(report.authors) > 1 else "")
    else:
        copyright_line = COPYRIGHT_AUTHOR.search(text, 0, front_end)
        if copyright_line is None:
            return None
        name = f"{copyright_line.group('name')} et al."
    return f"{name} {report.year}" if report.year else name
