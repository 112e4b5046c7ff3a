"""Sentence boundaries after a title, heading or byline, which spaCy's rule sentencizer misses.

The sentencizer ends sentences at punctuation only, so a title, a heading or an author line, which
end without a full stop, ran on into the next paragraph: evidence "sentences" then held a title and
the abstract after it, and sentence-bound rules read across the break. A blank line ends a sentence
after a paragraph that looks like such a line: one sentence of at most ``max_tokens`` tokens, not
ending in a function word or comma, and followed by a capital. Otherwise the paragraph is one that a
PDF reader split at a column or page break ("restaging CT in" / "May 2019 showed ..."), and goes on.
"""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .annotations import token_texts

COMPONENT = "casetable_paragraphs"


class ParagraphBreaks:
    def __init__(self, max_tokens: int):
        self.max_tokens = max_tokens

    def __call__(self, doc: Doc) -> Doc:
        # Sentence starts are read and written as one array: setting Token.is_sent_start checks the
        # whole Doc's annotation on every call, which made this step quadratic in the document.
        starts = doc.to_array([SENT_START])
        paragraph_start = 0
        for i, word in enumerate(token_texts(doc)[:-1]):
            if word.isspace() and word.count("\n") >= 2:  # Token.is_space is str.isspace
                if self._line_like(doc, starts, paragraph_start, i):
                    starts[i + 1] = 1
                paragraph_start = i + 1
        doc.from_array([SENT_START], starts.reshape(-1, 1))
        return doc

    def _line_like(self, doc: Doc, starts, start: int, end: int) -> bool:
        """Tokens ``start:end`` form a title, heading or byline before the next paragraph."""
        last, following = doc[end - 1], doc[end + 1]
        return (0 < end - start <= self.max_tokens
                and not (starts[start + 1:end] == 1).any()
                and not (last.is_stop or last.text in (",", "-", "–"))
                and not following.text[:1].islower())


@Language.factory(COMPONENT, default_config={"max_tokens": 40}, requires=["token.is_sent_start"],
                  assigns=["token.is_sent_start"])
def make_paragraph_breaks(nlp: Language, name: str, max_tokens: int) -> ParagraphBreaks:
    return ParagraphBreaks(max_tokens)
