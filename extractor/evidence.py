"""The Evidence of a span: its sentence, its character offsets in the document text, its page."""

from __future__ import annotations

from spacy.tokens import Span

from .annotations import doc_text, section_of, sentence_of
from .document import Document
from .records import Evidence


def evidence(document: Document, span: Span, note: str | None = None) -> Evidence:
    doc = span.doc
    start, end = sentence_of(doc, span.start, span.start + 1)  # Span.sent (its first token's), without walking the tokens
    first, last = doc[start], doc[end - 1]
    sentence = doc_text(doc)[first.idx:last.idx + len(last)]
    return Evidence(text=sentence.strip(), start=span.start_char, end=span.end_char,
                    page=document.page_at(span.start_char), section=section_of(span),
                    matched=span.text, note=note)
