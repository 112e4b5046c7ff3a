"""The Evidence of a span: its sentence, its character offsets in the document text, its page."""

from __future__ import annotations

from spacy.tokens import Span

from .document import Document
from .records import Evidence


def evidence(document: Document, span: Span, note: str | None = None) -> Evidence:
    sent = span.sent
    return Evidence(text=sent.text.strip(), start=span.start_char, end=span.end_char,
                    page=document.page_at(span.start_char), section=span._.ct_section,
                    matched=span.text, note=note)
