"""The report's citation: "First-author et al. YEAR", title, authors, year and DOI.

Taken from what the file says of itself (PDF info, "Title:"/"Authors:" header lines) and from
the front of the text; never from the bibliography, whose entries cite other papers.
"""

from __future__ import annotations

import re

from .document import Document
from .records import Evidence, Report

DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>,;]+)", re.I)
HEADER = re.compile(r"^\s*(title|authors?|year|doi)\s*:\s*(.+?)\s*$", re.I | re.M)
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
PUBLISHED = re.compile(r"(?:published|©|copyright|accepted|received)[^.\n]{0,40}?\b(19[5-9]\d|20[0-4]\d)\b", re.I)
# Parts of a paper where a DOI, year or name belongs to someone else's paper.
CITED_KINDS = frozenset({"references", "table", "caption", "back_matter"})
_FRONT_CHARS = 3000


def _allowed(document: Document, offset: int) -> bool:
    section = document.section_at(offset)
    return section is None or section.kind not in CITED_KINDS


def _surname(author: str) -> str:
    author = re.sub(r"\s+\d+$|\*", "", author).strip()
    if "," in author:  # "Lindqvist, A."
        return author.split(",")[0].strip()
    parts = [p for p in author.split() if not re.fullmatch(r"[A-Z]\.?(-[A-Z]\.?)?", p)]
    return parts[-1] if parts else author


def _split_authors(value: str) -> list[str]:
    value = re.sub(r"\(.*?\)", "", value)
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+|;\s*", value)
    return [n.strip() for n in names if n.strip() and len(n.split()) <= 5]


def cite(document: Document, report: Report) -> None:
    """Fill the citation fields of ``report`` from ``document``, with evidence."""
    text = document.text
    front = text[:_FRONT_CHARS]
    headers = {m.group(1).lower().rstrip("s"): m for m in HEADER.finditer(front)}
    meta = document.metadata
    if "title" in headers:
        report.title = headers["title"].group(2)
    elif meta.get("title"):
        report.title = str(meta["title"])
    if "author" in headers:
        report.authors = _split_authors(headers["author"].group(2))
    elif meta.get("author"):
        report.authors = _split_authors(str(meta["author"]))
    doi = next((m for m in DOI.finditer(text) if _allowed(document, m.start())), None)
    if "doi" in headers:
        doi = DOI.search(headers["doi"].group(0)) or doi
    if doi is not None:
        report.doi = doi.group(1).rstrip(".)]")
        report.evidence["doi"] = Evidence(text=doi.group(0), start=doi.start(), end=doi.end(),
                                          page=document.page_at(doi.start()))
    year_match = None
    if "year" in headers:
        year_match = YEAR.search(headers["year"].group(2))
    if year_match is None:
        year_match = next((m for m in PUBLISHED.finditer(front) if _allowed(document, m.start())), None)
    if year_match is not None:
        report.year = int(year_match.group(1))
    if report.authors:
        first = _surname(report.authors[0])
        report.report = f"{first} et al. {report.year}" if report.year else f"{first} et al."
