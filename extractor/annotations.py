"""The extension contract: the namespaced attributes (prefix ``ct_``) through which components hand
results on, and through which assembly reads the Doc.

Components write spans into ``doc.spans[GROUP]`` and set the span attributes; each group is also
readable as ``doc._.GROUP``, which is what a component names in its factory's ``assigns`` and
``requires``, so that ``nlp.analyze_pipes()`` reports a missing provider and the pipeline can
order the components. Registering everything in one place keeps the contract visible.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import LOWER, ORTH
from spacy.tokens import Doc, Span

from .regex_screen import case_folded

# Span groups, one per concern.
FUSIONS = "ct_fusions"
DRUGS = "ct_drugs"
REGIMENS = "ct_regimens"  # regimen acronyms ("R-CHOP", "the Dd-PACE regimen"), listed or not
DOSES = "ct_doses"
AGES = "ct_ages"
SEXES = "ct_sex"
SITES = "ct_sites"
RESPONSES = "ct_responses"
DURATIONS = "ct_durations"
PATIENT_MARKERS = "ct_patient_markers"
CUES = "ct_cues"
GROUPS = (FUSIONS, DRUGS, REGIMENS, DOSES, AGES, SEXES, SITES, RESPONSES, DURATIONS, PATIENT_MARKERS, CUES)
# The patients of the document: (patient id, Scope) pairs, set by the patients component.
PATIENTS = "ct_patients"

# Context modifier categories (ConText-style) a cue can put on a target span.
NEGATED = "NEGATED"
HYPOTHETICAL = "HYPOTHETICAL"
OTHER_PATIENT = "OTHER_PATIENT"
ADMINISTERED = "ADMINISTERED"
RESUMED = "RESUMED"
SUPPORTIVE_CUE = "SUPPORTIVE"
NOT_TREATMENT_TIME = "NOT_TREATMENT_TIME"  # "12 months after diagnosis", "every 3 weeks"
MODIFIERS = (NEGATED, HYPOTHETICAL, OTHER_PATIENT, ADMINISTERED, RESUMED, SUPPORTIVE_CUE, NOT_TREATMENT_TIME)


_ANNOTATIONS = "ct_annotations"  # the user_data key of the per-span data
_SENTENCE_STARTS = "ct_sentence_starts"
_SECTION_STARTS = "ct_section_starts"
_SPAN_LISTS = "ct_span_lists"


def section_of(span: Span) -> str | None:
    """``span._.ct_section``: the kind of the section the span starts in."""
    sections = span.doc._.ct_sections
    if not sections:
        return None
    cached = span.doc.user_data.get(_SECTION_STARTS)
    if cached is None or cached[0] is not sections:  # the starts of the sections the Doc holds now
        cached = span.doc.user_data[_SECTION_STARTS] = (sections, [s.start for s in sections])
    starts = cached[1]
    i = bisect_right(starts, span.start_char) - 1
    return sections[i].kind if i >= 0 else None


def _key(span: Span) -> tuple[str, int, int, int]:
    return (span.label_, span.start_char, span.end_char, span.id)


def _annotation(span: Span) -> dict:
    """Per-span data lives in the Doc, keyed by label, offsets and the span id ``add_span`` gives
    each span, so that spans over the same words (a gene and a fusion, two fusions written in one
    token such as "FGFR3-TACC3/FGFR2-CCDC6") never share values."""
    return span.doc.user_data.setdefault(_ANNOTATIONS, {}).setdefault(_key(span), {})


def _accessor(name: str, default_factory=lambda: None):
    def getter(span: Span):
        data = _annotation(span)
        if name not in data:
            data[name] = default_factory()
        return data[name]

    def setter(span: Span, value) -> None:
        _annotation(span)[name] = value

    return getter, setter


# The getters of ``span._.ct_norm``, ``ct_detail`` and ``ct_modifiers``, callable as they are: the
# components and assembly read them through these. ``span._`` builds an Underscore object on every
# access (about 2 µs, four times the read), and assembly reads some twenty thousand values a
# hundred pages.
norm_of, _set_norm = _accessor("norm")
detail_of, _set_detail = _accessor("detail", dict)
modifiers_of, _set_modifiers = _accessor("modifiers", set)


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once: ``Doc.text`` joins every token anew on each access."""
    text = doc.user_data.get("ct_text")
    if text is None:
        text = doc.user_data["ct_text"] = doc.text
    return text


def doc_folded(doc: Doc) -> str:
    """The Doc's text ``case_folded`` (regex_screen), built once: each regex rule file screens its
    rules on it, and matches them on it where they fold (regex_folding)."""
    folded = doc.user_data.get("ct_folded")
    if folded is None:
        folded = doc.user_data["ct_folded"] = case_folded(doc_text(doc))
    return folded


def token_texts(doc: Doc) -> list[str]:
    """Every token's text, built once per Doc from its token array: a loop over the Doc makes a
    Token object for each token, and several components read every word."""
    return _token_strings(doc, "ct_token_texts", ORTH)


def token_lowers(doc: Doc) -> list[str]:
    """Every token's lower-case form (``Token.lower_``), built once per Doc as ``token_texts``."""
    return _token_strings(doc, "ct_token_lowers", LOWER)


def _token_strings(doc: Doc, key: str, attribute_id: int) -> list[str]:
    found = doc.user_data.get(key)
    if found is None:
        strings = doc.vocab.strings
        found = doc.user_data[key] = [strings[value] for value in doc.to_array(attribute_id).tolist()]
    return found


def spans_of(doc: Doc, group: str) -> list[Span]:
    """The spans of a group as a list, kept while the group is unchanged (the same SpanGroup of the
    same length): iterating a SpanGroup makes a new Span, and Tokens for its ends, of every span
    each time, and assembly reads each group over and over for every patient."""
    current = doc.spans.get(group)
    if current is None:
        return []
    kept = doc.user_data.setdefault(_SPAN_LISTS, {})
    found = kept.get(group)
    if found is None or found[0] is not current or len(found[1]) != len(current):
        found = kept[group] = (current, list(current))
    return found[1]


def drop_span_lists(doc: Doc) -> None:
    """Forget the lists ``spans_of`` kept: their Spans hold the Doc, so while they are in its
    ``user_data`` the Doc is a reference cycle that only the garbage collector frees (memory then
    climbs over a batch). Called when the records are made; ``spans_of`` makes them again if asked."""
    doc.user_data.pop(_SPAN_LISTS, None)


def sentence_of(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token offsets of the sentence of tokens ``start:end``: from the start of the first token's
    sentence to the end of the last token's (``Span.sent`` gives the first token's sentence, so
    ``sentence_of(doc, span.start, span.start + 1)`` is its offsets). The sentence starts are read
    once per Doc; ``Span.sent`` walks the tokens and builds a Span on every call."""
    starts = doc.user_data.get(_SENTENCE_STARTS)
    if starts is None:
        starts = doc.user_data[_SENTENCE_STARTS] = [sent.start for sent in doc.sents]
    first = starts[bisect_right(starts, start) - 1]
    following = bisect_right(starts, end - 1)
    return first, starts[following] if following < len(starts) else len(doc)


def attribute(group: str) -> str:
    """How a factory's ``assigns``/``requires`` names a span group: ``doc._.ct_drugs``."""
    return f"doc._.{group}"


def register_extensions() -> None:
    """Idempotent: safe to call from every component factory."""
    if not Doc.has_extension("ct_sections"):
        Doc.set_extension("ct_sections", default=[])
        Doc.set_extension("ct_annotations", getter=lambda doc: doc.user_data.setdefault(_ANNOTATIONS, {}))
        Span.set_extension("ct_norm", getter=norm_of, setter=_set_norm)
        Span.set_extension("ct_detail", getter=detail_of, setter=_set_detail)
        Span.set_extension("ct_modifiers", getter=modifiers_of, setter=_set_modifiers)
        Span.set_extension("ct_section", getter=section_of)
        Doc.set_extension(PATIENTS, default=None)
    for group in GROUPS:
        register_group(group)


def register_group(group: str) -> None:
    """Make a span group readable as ``doc._.GROUP`` (idempotent); a field with a group of its own
    registers it from its factory."""
    if not Doc.has_extension(group):
        Doc.set_extension(group, getter=lambda doc: doc.spans.get(group, []))


def add_span(doc: Doc, group: str, start_char: int, end_char: int, label: str, norm: object,
             detail: dict | None = None) -> Span | None:
    """Put a span over the characters into a group, expanding to whole tokens."""
    serial = doc.user_data["ct_serial"] = doc.user_data.get("ct_serial", 0) + 1
    span = doc.char_span(start_char, end_char, label=label, alignment_mode="expand", span_id=serial)
    if span is None:
        return None
    # What span._.ct_norm = norm and span._.ct_detail.update(detail) store, written at once: the
    # extension machinery costs more than the writes, and every component adds its spans here.
    data = _annotation(span)
    data["norm"] = norm
    if detail:
        data.setdefault("detail", {}).update(detail)
    doc.spans.setdefault(group, []).append(span)
    return span
