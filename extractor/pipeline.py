"""Build the spaCy Language: scispaCy tokenizer, sentence splitter and abbreviation detector, the
EntityRulers fed from the fields' pattern files (one matches as written, one in lower case), then
the fields' components (``extractor.fields``)
in the order their ``assigns`` and ``requires`` give.

The pipeline is built once per process (about a second, and the drug dictionary loads in about
two more on first use), then every Document goes through ``annotate``.

Sentences come from spaCy's rule ``sentencizer``, not scispaCy's ``pysbd_sentencizer``: pysbd took
half of the pipeline's time (about 0.7 s of 1.4 s on the project corpus and the seeds), and the
evaluation figures were the same with either on every set (seeds, cases, civic_auto, the
project corpus), except ada, where the rule splitter gave two false-positive drugs fewer. The
tokenizer keeps abbreviations such as "e.g.", "Fig." and "Dr." whole, so they do not end a
sentence; a dosing abbreviation such as "b.i.d." does. A blank line ends a sentence too
(``extractor.sentences``).
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import spacy

# Importing the modules registers their factories with spaCy.
from scispacy.custom_tokenizer import combined_rule_tokenizer
from spacy.language import Language
from spacy.tokens import Doc

from . import abbreviations  # noqa: F401 - registers casetable_abbreviations
from .annotations import register_extensions
from .document import Document
from .fields import FIELD_MODULES
from .long_runs import keep_long_runs_whole
from .rules import read_jsonl, row_format
from .sentences import COMPONENT as PARAGRAPH_BREAKS

RULER_ROW = row_format("label pattern id")
RULER_FILES = tuple(m.RULER_PATTERNS for m in FIELD_MODULES if hasattr(m, "RULER_PATTERNS"))
# Phrases matched as written ("CR", not "cr"), by an EntityRuler of their own: a token pattern
# ([{"ORTH": "CR"}]) in the lower-case ruler would run spaCy's token Matcher, which builds a Token
# object for every word of the document (a twentieth of the pipeline's time) to find eight words.
CASED_RULER_FILES = tuple(m.CASED_RULER_PATTERNS for m in FIELD_MODULES if hasattr(m, "CASED_RULER_PATTERNS"))


def component_order(names: list[str], provided: set[str]) -> list[str]:
    """The components in an order where each runs after the components that assign what it requires
    (attributes in ``provided`` are there before any of them); among those free to run, the given
    order. A requirement no component assigns is an error that names it."""
    metas = {name: Language.get_factory_meta(name) for name in names}
    assigned = set(provided).union(*(metas[n].assigns for n in names))
    for name in names:
        missing = [attr for attr in metas[name].requires if attr not in assigned]
        if missing:
            raise ValueError(f"component {name} requires {', '.join(missing)}, which no component assigns: "
                             "add the field module that assigns it to extractor/fields/__init__.py")
    ordered: list[str] = []
    done = set(provided)
    waiting = list(names)
    while waiting:
        ready = next((n for n in waiting if set(metas[n].requires) <= done), None)
        if ready is None:
            raise ValueError(f"components {', '.join(waiting)} require each other's attributes in a cycle")
        ordered.append(ready)
        done.update(metas[ready].assigns)
        waiting.remove(ready)
    return ordered


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
    keep_long_runs_whole(nlp)
    if sentence_splitter == "pysbd_sentencizer":
        from scispacy.custom_sentence_segmenter import pysbd_sentencizer  # noqa: F401 - registers it
    if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
        nlp.add_pipe(sentence_splitter, first=True)
    nlp.add_pipe(PARAGRAPH_BREAKS)  # after the sentence splitter
    nlp.add_pipe("casetable_abbreviations")
    # The cased ruler first: where a phrase of the lower-case ruler overlaps one of its abbreviations
    # ("PR interval", an ECG finding, over "PR"), the later ruler's phrase wins.
    for name, attribute, files in (("cased_entity_ruler", "ORTH", CASED_RULER_FILES),
                                   ("entity_ruler", "LOWER", RULER_FILES)):
        ruler = nlp.add_pipe("entity_ruler", name=name, config={"phrase_matcher_attr": attribute, "overwrite_ents": True})
        ruler.add_patterns([row for file in files for row in read_jsonl(file, RULER_ROW)])
    # The EntityRuler's entities; the Document's sections (doc._.ct_sections) are set before the pipeline runs.
    for name in component_order([m.COMPONENT for m in FIELD_MODULES], provided={"doc.ents"}):
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
