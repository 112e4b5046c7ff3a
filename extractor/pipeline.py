"""Build the spaCy Language: scispaCy tokenizer, sentence splitter and abbreviation detector, the
EntityRuler fed from patterns/, then one casetable component per concern.

The pipeline is built once per process (about a second, and the drug dictionary loads in about
two more on first use), then every Document goes through ``annotate``.

Sentences come from spaCy's rule ``sentencizer``, not scispaCy's ``pysbd_sentencizer``: pysbd took
half of the pipeline's time (about 0.7 s of 1.4 s on the project corpus and the seeds), and the
evaluation figures were the same with either on every set (seeds, cases, civic_auto, the
project corpus), except ada, where the rule splitter gave two false-positive drugs fewer. The
tokenizer keeps abbreviations such as "e.g.", "Fig." and "Dr." whole, so they do not end a
sentence; a dosing abbreviation such as "b.i.d." does.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import spacy

# Importing the modules registers their factories with spaCy.
from scispacy.custom_tokenizer import combined_rule_tokenizer
from spacy.language import Language
from spacy.tokens import Doc

from . import abbreviations  # noqa: F401
from .components import ages, context, doses, drugs, durations, genes, patients, ruler_spans  # noqa: F401
from .components.extensions import register_extensions
from .document import Document
from .rules import read_jsonl

RULER_FILES = ("sex.jsonl", "responses.jsonl", "sites.jsonl")
COMPONENTS = ("casetable_ruler_spans", "casetable_fusions", "casetable_drugs", "casetable_doses",
              "casetable_ages", "casetable_durations", "casetable_patient_markers", "casetable_context")


def build_pipeline(model: str | None = None, sentence_splitter: str = "sentencizer") -> Language:
    """A blank English pipeline (or a user-installed spaCy/scispaCy model, ``model``) with
    casetable's components. A model's own NER runs before the EntityRuler, which may overwrite it.
    """
    register_extensions()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # scispaCy's tokenizer regexes warn on 3.11+
        if model:
            try:
                nlp = spacy.load(model, exclude=["tagger", "parser", "lemmatizer", "attribute_ruler"])
            except OSError as error:
                raise ValueError(f"spaCy model {model!r} is not installed: install it with pip, "
                                 "or leave out --model to use the rule pipeline") from error
        else:
            nlp = spacy.blank("en")
        nlp.tokenizer = combined_rule_tokenizer(nlp)
    if sentence_splitter == "pysbd_sentencizer":
        from scispacy.custom_sentence_segmenter import pysbd_sentencizer  # noqa: F401 - registers it
    if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
        nlp.add_pipe(sentence_splitter, first=True)
    nlp.add_pipe("casetable_abbreviations")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    ruler.add_patterns([row for name in RULER_FILES for row in read_jsonl(name)])
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=4)
def default_pipeline(model: str | None = None) -> Language:
    return build_pipeline(model)


def annotate(document: Document, nlp: Language | None = None) -> Doc:
    """Run the pipeline over a Document, with its sections available to every component."""
    nlp = nlp or default_pipeline()
    doc = nlp.make_doc(document.text)
    doc._.ct_sections = document.sections
    doc.user_data["ct_text"] = document.text  # the tokenizer keeps every character: doc.text == this
    return nlp(doc)
