"""Response categories: the EntityRulers' response phrases (patterns/responses.jsonl, and the
abbreviations matched as written in patterns/response_abbreviations.jsonl) as spans of
``ct_responses`` with their category (CR, PR, SD, PD) as norm, or None for a phrase that names no
category ("dramatic response"), kept so that it is not read as another category.

Which treatment line a response belongs to is decided by treatment-line assembly
(``extractor.lines``), along the case's timeline.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..annotations import RESPONSES, add_span, attribute, register_extensions

COMPONENT = "casetable_responses"
RULER_PATTERNS = "responses.jsonl"
CASED_RULER_PATTERNS = "response_abbreviations.jsonl"
NO_CATEGORY = "NONE"  # the pattern id of a phrase that names no category


class ResponseMentions:
    def __init__(self, nlp: Language, name: str):
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            if ent.label_ == "RESPONSE":
                category = None if ent.ent_id_ == NO_CATEGORY else ent.ent_id_
                add_span(doc, RESPONSES, ent.start_char, ent.end_char, "RESPONSE", category, {"as_written": ent.text})
        return doc


@Language.factory(COMPONENT, assigns=[attribute(RESPONSES)], requires=["doc.ents"])
def make_response_mentions(nlp: Language, name: str) -> ResponseMentions:
    return ResponseMentions(nlp, name)
