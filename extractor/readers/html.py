"""HTML reader (.html, .htm: a saved article page): the article body without the site around it.

The article is the largest ``<article>`` (else ``<main>``, else the body); scripts, navigation,
headers and footers of the site, sidebars, cookie banners and hidden elements are dropped.
Block elements become paragraphs, so headings stand alone and the heading rules find the
sections, as in a text file. Figures and data tables become caption and table sections after the
body. The citation comes from the ``citation_*`` / Dublin Core meta tags that journal sites (and
PubMed Central) publish, written at the top of the text as "Authors: ..." lines, the form in which
the citation step reads a header.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from ..document import Document
from .builder import Part, clean_paragraph, compose
from .decoding import declared_charset, decode
from .errors import ReadError
from .markup import element_text, is_citation_marker, local, table_rows

_DROPPED = frozenset({"script", "style", "noscript", "template", "nav", "aside", "form", "button", "svg",
                      "iframe", "select", "input", "textarea", "object", "embed", "canvas", "map", "head",
                      "dialog", "menu"})
_SITE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "menu"})
_SITE_TOKENS = frozenset({"nav", "navbar", "navigation", "menu", "sidebar", "breadcrumb", "breadcrumbs", "cookie",
                          "cookies", "banner", "footer", "header", "masthead", "share", "sharing", "social",
                          "related", "advert", "advertisement", "ads", "promo", "toolbar", "skip", "subscribe",
                          "newsletter", "popup", "modal"})
_BLOCKS = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
                     "ol", "dl", "dt", "dd", "blockquote", "pre", "figure", "figcaption", "table", "tr", "caption",
                     "header", "footer", "address", "hr", "details", "summary", "body", "center", "td", "th"})
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_LAYOUT_CELL = 300  # a table cell longer than this holds page layout, not data


def _tokens(element: etree._Element) -> set[str]:
    return set(_TOKEN_SPLIT.split(f"{element.get('class', '')} {element.get('id', '')}".lower())) - {""}


def _hidden(element: etree._Element) -> bool:
    style = element.get("style", "").replace(" ", "").lower()
    return element.get("hidden") is not None or element.get("aria-hidden") == "true" or "display:none" in style


def _is_site_chrome(element: etree._Element) -> bool:
    """Navigation, site header and footer, sidebars: not the article, unless it holds the title."""
    name = local(element)
    if name in ("article", "main", "body", "html"):
        return False
    chrome = (name in ("header", "footer") or element.get("role", "").lower() in _SITE_ROLES
              or bool(_tokens(element) & _SITE_TOKENS))
    return chrome and not any(local(e) == "h1" for e in element.iter())


def _skip_inline(element: etree._Element) -> bool:
    return is_citation_marker(element) or local(element) in _DROPPED or _hidden(element)


def _is_data_table(table: etree._Element) -> bool:
    cells = [c for c in table.iter() if local(c) in ("td", "th")]
    return bool(cells) and all(len(" ".join(c.itertext())) <= _LAYOUT_CELL for c in cells)


def _is_figure(element: etree._Element) -> bool:
    return local(element) == "figure" or bool(_tokens(element) & {"fig", "figure"})


class _Flattener:
    """Walks the article, one paragraph per block element, figures and tables set apart."""

    def __init__(self) -> None:
        self.body = Part()
        self.extras: list[Part] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        self.body.add("".join(self.buffer))
        self.buffer = []

    def float_part(self, element: etree._Element, kind: str) -> None:
        tables = [t for t in element.iter() if local(t) == "table"]
        caption = clean_paragraph(element_text(element, lambda e: _skip_inline(e) or local(e) == "table"))
        part = Part(kind, caption[:80])
        part.add(caption)
        for table in tables:
            for row in table_rows(table, _skip_inline):
                part.add(row)
        self.extras.append(part)

    @staticmethod
    def float_kind(element: etree._Element) -> str | None:
        """"table" for a data table (or a wrapper with its caption), "caption" for a figure."""
        name = local(element)
        if name == "table":
            return "table" if _is_data_table(element) else None
        if "table" in _tokens(element) or _is_figure(element):
            tables = [t for t in element.iter() if local(t) == "table"]
            if tables:
                return "table" if "table" in _tokens(element) and all(map(_is_data_table, tables)) else None
            return "caption" if _is_figure(element) else None
        return None

    def visit(self, element: etree._Element) -> None:
        name = local(element)
        if not name or name in _DROPPED or _hidden(element) or _is_site_chrome(element) or is_citation_marker(element):
            return
        kind = self.float_kind(element)
        if kind:
            self.flush()
            self.float_part(element, kind)
            return
        if name == "br":
            self.buffer.append(" ")
            return
        block = name in _BLOCKS
        if block:
            self.flush()
        self.buffer.append(element.text or "")
        for child in element:
            self.visit(child)
            self.buffer.append(child.tail or "")
        if block:
            self.flush()


def _meta(root: etree._Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        content = clean_paragraph(meta.get("content") or "")
        if name and content:
            found.setdefault(name, []).append(content)
    return found


def metadata(root: etree._Element) -> dict[str, object]:
    """Citation meta tags (Highwire ``citation_*``, as PubMed Central and most journals publish them,
    then Dublin Core), the page title as a last resort for the title."""
    meta = _meta(root)

    def first(*names: str) -> str:
        return next((meta[n][0] for n in names if n in meta), "")

    found: dict[str, object] = {}
    title_element = next(root.iter("title"), None)
    title = first("citation_title", "dc.title") or (clean_paragraph(title_element.text_content())
                                                     if title_element is not None else "")
    if title:
        found["title"] = title
    authors = meta.get("citation_author") or meta.get("dc.creator") or []
    if authors:
        found["author"] = ", ".join(authors)
    date = first("citation_publication_date", "citation_date", "citation_online_date", "dc.date")
    year = _YEAR.search(date)
    if year:
        found["year"] = int(year.group(1))
    doi = first("citation_doi", "prism.doi", "dc.identifier")
    if "10." in doi:
        found["doi"] = doi[doi.index("10."):]
    return found


def _article(body: etree._Element) -> etree._Element:
    articles = [e for e in body.iter() if local(e) == "article"]
    if articles:
        return max(articles, key=lambda e: len(e.text_content()))
    main = next((e for e in body.iter() if local(e) == "main" or e.get("role") == "main"), None)
    return main if main is not None else body


def read_html(path: Path, data: bytes | None = None) -> Document:
    data = path.read_bytes() if data is None else data
    # Decoded here, not by libxml2, which reads a page without a meta charset as Latin-1.
    text = decode(data, str(path), declared_charset(data)).text
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=_UTF8_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ReadError(f"{path}: not a readable HTML page ({error}): save the article page again") from error
    found = metadata(root)
    body = next(root.iter("body"), root)
    flattener = _Flattener()
    article = _article(body)
    flattener.visit(article)
    flattener.flush()
    front = Part("front_matter")
    if found.get("title") and not any(local(e) == "h1" for e in article.iter()):
        front.add(str(found["title"]))
    for label, key in (("Authors", "author"), ("Year", "year"), ("DOI", "doi")):
        if found.get(key):
            front.add(f"{label}: {found[key]}")
    if not flattener.body.paragraphs:
        raise ReadError(f"{path}: the HTML page has no article text (a login, cookie or redirect page?): "
                        "save the full-text page of the article")
    return compose(str(path), [front, flattener.body, *flattener.extras], found)
