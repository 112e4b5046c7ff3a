"""PubMed Central / JATS XML reader (.xml, .nxml): sections from the markup, citation from the front.

The article's own structure is used rather than guessed: ``<sec sec-type="cases">`` or a section
title the heading rules know gives the section kind, a subsection keeps its parent's kind;
``<fig>`` and ``<table-wrap>`` become caption and table sections after the body; the reference
list is the references section. The front matter (title, authors, year, DOI) goes into the
Document's metadata and is written at the top of the text as "Authors: ..." lines, the form in
which the citation step reads a header.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..document import Document
from ..sections import HeadingRules
from .builder import Part, clean_paragraph, compose
from .errors import ReadError
from .markup import element_text, is_citation_marker, local, table_rows

# sec-type values of the JATS tag library and common PMC practice -> section kinds.
SEC_TYPES = {"intro": "introduction", "introduction": "introduction", "background": "introduction",
             "cases": "case", "case": "case", "case-report": "case", "case-presentation": "case",
             "methods": "methods", "materials|methods": "methods", "materials": "methods",
             "results": "results", "discussion": "discussion", "conclusions": "conclusion",
             "conclusion": "conclusion", "results|discussion": "discussion",
             "supplementary-material": "back_matter", "display-objects": "back_matter"}
_FLOATS = ("fig", "fig-group", "table-wrap", "table-wrap-group")
_BLOCKS = ("p", "disp-quote", "list-item", "def-item", "statement", "verse-group", "preformat", "boxed-text")
_SKIPPED_ABSTRACTS = ("graphical", "teaser", "precis", "web-summary")
_CITATIONS = ("mixed-citation", "element-citation", "citation")


def _skip_inline(element: etree._Element) -> bool:
    """Floats are read on their own; citation superscripts are not words."""
    name = local(element)
    if name in _FLOATS or is_citation_marker(element):
        return True
    return name == "xref" and element.get("ref-type") == "bibr" and \
        all(local(c) == "sup" for c in element) and len(element) > 0


def _text(element: etree._Element) -> str:
    return clean_paragraph(element_text(element, _skip_inline))


def _first(element: etree._Element | None, *path: str) -> etree._Element | None:
    """The first descendant reached by following local tag names."""
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if local(c) == name), None)
    return element


def _descendants(element: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in element.iter() if local(e) == name]


class JatsReader:
    def __init__(self, source: str):
        self.source = source
        self.rules = HeadingRules.load()
        self.extras: list[Part] = []

    # -------------------------------------------------------------- front matter

    def metadata(self, meta: etree._Element | None) -> dict[str, object]:
        found: dict[str, object] = {}
        if meta is None:
            return found
        title = _first(meta, "title-group", "article-title")
        if title is not None and _text(title):
            found["title"] = _text(title)
        authors = []
        for contrib in _descendants(meta, "contrib"):
            if contrib.get("contrib-type", "author") != "author":
                continue
            name = _first(contrib, "name")
            if name is not None:
                given, surname = _first(name, "given-names"), _first(name, "surname")
                authors.append(" ".join(_text(p) for p in (given, surname) if p is not None))
            elif _first(contrib, "collab") is not None:
                authors.append(_text(_first(contrib, "collab")))
        if any(authors):
            found["author"] = ", ".join(a for a in authors if a)
        dates = sorted(_descendants(meta, "pub-date"),
                       key=lambda d: (d.get("pub-type") or d.get("date-type") or "") not in ("epub", "ppub", "pub"))
        year = next((_text(_first(d, "year")) for d in dates if _first(d, "year") is not None), "")
        if year.isdigit():
            found["year"] = int(year)
        doi = next((_text(a) for a in _descendants(meta, "article-id") if a.get("pub-id-type") == "doi"), "")
        if doi:
            found["doi"] = doi
        return found

    @staticmethod
    def front_parts(metadata: dict[str, object]) -> list[Part]:
        title = Part("title")
        title.add(str(metadata.get("title", "")))
        lines = Part("front_matter")
        for label, key in (("Authors", "author"), ("Year", "year"), ("DOI", "doi")):
            if metadata.get(key):
                lines.add(f"{label}: {metadata[key]}")
        return [title, lines]

    # -------------------------------------------------------------- floats

    def add_float(self, element: etree._Element) -> None:
        """A figure or table, read apart from the running text."""
        name = local(element)
        if name in ("fig-group", "table-wrap-group"):
            for child in element:
                if local(child) in _FLOATS:
                    self.add_float(child)
            return
        label = _first(element, "label")
        caption = _first(element, "caption")
        heading = " ".join(_text(e) for e in (label, caption) if e is not None)
        part = Part("table" if name == "table-wrap" else "caption", heading[:80])
        part.add(heading)
        if name == "table-wrap":
            for table in _descendants(element, "table"):
                for row in table_rows(table, _skip_inline):
                    part.add(row)
            for foot in _descendants(element, "table-wrap-foot"):
                part.add(_text(foot))
        self.extras.append(part)

    def collect_floats(self, element: etree._Element) -> None:
        for descendant in element.iter():
            if local(descendant) in _FLOATS and not any(local(a) in _FLOATS for a in descendant.iterancestors()):
                self.add_float(descendant)

    # -------------------------------------------------------------- body

    def kind_of(self, sec: etree._Element, title: str, inherited: str | None) -> str | None:
        sec_type = (sec.get("sec-type") or "").lower()
        if sec_type in SEC_TYPES:
            return SEC_TYPES[sec_type]
        kind = self.rules.heading_kind(title) if title else None
        return kind or inherited

    def paragraphs(self, element: etree._Element, part: Part) -> None:
        """The paragraphs among ``element``'s children (lists item by item), floats set apart."""
        for child in element:
            name = local(child)
            if name in ("sec", "title", "label") or not name:
                continue
            if name in _FLOATS:
                self.add_float(child)
            elif name in ("list", "def-list", "boxed-text") or not (name in _BLOCKS or child.text):
                self.paragraphs(child, part)
            else:
                self.collect_floats(child)
                part.add(_text(child))

    def section(self, sec: etree._Element, inherited: str | None) -> list[Part]:
        title_element = _first(sec, "title")
        title = _text(title_element) if title_element is not None else ""
        kind = self.kind_of(sec, title, inherited) or "front_matter"
        part = Part(kind, title)
        part.add(title)
        self.paragraphs(sec, part)
        parts = [part]
        for child in sec:
            if local(child) == "sec":
                parts.extend(self.section(child, kind))
        return parts

    def body(self, body: etree._Element) -> list[Part]:
        """Top-level sections; paragraphs before the first (or a body without any) are left to the
        heading rules, as a text file would be."""
        loose = Part()
        self.paragraphs(body, loose)
        parts = [loose]
        kind = None
        for sec in (c for c in body if local(c) == "sec"):
            sec_parts = self.section(sec, kind)
            kind = sec_parts[0].kind
            parts.extend(sec_parts)
        return parts

    def abstract(self, meta: etree._Element | None) -> Part:
        part = Part("abstract", "Abstract")
        if meta is None:
            return part
        for abstract in _descendants(meta, "abstract"):
            if abstract.get("abstract-type", "") in _SKIPPED_ABSTRACTS:
                continue
            if not part.paragraphs:
                part.add("Abstract")
            for sec in [s for s in abstract if local(s) == "sec"] or [abstract]:
                title = _first(sec, "title")
                texts = [_text(p) for p in sec.iter() if local(p) == "p"]
                lead = f"{_text(title)}: " if title is not None and sec is not abstract else ""
                for i, text in enumerate(texts):
                    part.add(lead + text if i == 0 else text)
        return part

    def back(self, back: etree._Element | None) -> list[Part]:
        if back is None:
            return []
        references = Part("references", "References")
        other = Part("back_matter")
        for child in back:
            name = local(child)
            if name == "ref-list":
                references.add("References")
                for ref in _descendants(child, "ref"):
                    citation = next((c for c in ref if local(c) in _CITATIONS), ref)
                    label = _first(ref, "label")
                    text = " ".join(element_text(citation, lambda e: False).split())
                    references.add(f"{_text(label)} {text}" if label is not None else text)
            elif name:
                self.collect_floats(child)
                other.add(_text(child))
        return [other, references]

    def read(self, root: etree._Element) -> Document:
        article = root if local(root) == "article" else next((e for e in root.iter() if local(e) == "article"), None)
        if article is None:
            raise ReadError(f"{self.source}: XML but not a JATS article (no <article> element): "
                            "give the PubMed Central .nxml/.xml of the paper")
        front, body, back = (_first(article, name) for name in ("front", "body", "back"))
        meta = _first(front, "article-meta")
        metadata = self.metadata(meta)
        parts = [*self.front_parts(metadata), self.abstract(meta)]
        if body is not None:
            parts.extend(self.body(body))
        parts.extend(self.back(back))
        document = compose(self.source, parts + self.extras, metadata)
        if not any(p.paragraphs for p in parts[2:]):
            raise ReadError(f"{self.source}: the JATS article has no abstract or body text "
                            "(only front matter): find the full-text XML of the paper")
        return document


def read_jats(path: Path, data: bytes | None = None) -> Document:
    data = path.read_bytes() if data is None else data
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        root = None
        detail = str(error)
    else:
        detail = "no element"
    if root is None:
        raise ReadError(f"{path}: not well-formed XML ({detail}): download the article's XML again")
    return JatsReader(str(path)).read(root)
