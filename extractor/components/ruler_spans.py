"""Sex, response and site mentions: the EntityRuler's entities, moved into their span groups.

The EntityRuler (patterns/sex.jsonl, responses.jsonl, sites.jsonl) finds the phrases and gives
each its normalised value as the pattern id; these components add what a phrase alone does not
say. For a site: its laterality and qualifiers ("right upper lobe"), site words written together
as one place ("small bowel mesentery", "thyroid lobe"), and its roles from the words around it
(patterns/site_context.tsv): the primary tumour's origin or a tumour noun ("mass in the left
lung", "bladder IMT"), or a metastasis, a biopsy route, an imaging plane or modality, a symptom,
a vessel, a relative's disease ("her mother had breast cancer"). A tissue named before the place
of its tumour ("soft tissue sarcoma of the thigh") is marked ``tissue``: the place says more.
Sites listed together ("metastases to the liver and bone") share the metastasis, procedure and
imaging roles of the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..rules import read_tsv
from .extensions import RESPONSES, SEXES, SITES, add_span, doc_text, register_extensions

LATERALITY = ("left", "right", "bilateral")
NOT_PRIMARY_ROLES = frozenset({"metastasis", "procedure", "imaging", "symptom", "structure", "relative"})
_SHARED_ROLES = frozenset({"metastasis", "procedure", "imaging"})
_COORDINATION = frozenset({",", "and", "or", "both", "the"})
_LINK_REACH = 6
_KIN_REACH = 6


@dataclass
class SiteRules:
    """patterns/site_context.tsv, by use."""

    joining: set[str] = field(default_factory=set)
    before: list[tuple[str, str, int]] = field(default_factory=list)
    after: list[tuple[str, str, int]] = field(default_factory=list)
    linked: dict[str, str] = field(default_factory=dict)
    links: set[str] = field(default_factory=set)
    determiners: set[str] = field(default_factory=set)
    tumour_words: set[str] = field(default_factory=set)
    tumour_suffixes: tuple[str, ...] = ()

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> SiteRules:
        rules = cls()
        suffixes = []
        for row in read_tsv("site_context.tsv"):
            word, category, window = row["word"], row["category"], row["window"]
            special = {"laterality": rules.joining, "qualifier": rules.joining, "link": rules.links,
                       "determiner": rules.determiners}
            if category in special:
                special[category].add(word)
            elif category == "tumour_suffix":
                suffixes.append(word)
            elif window == "link":
                rules.linked.setdefault(word, category)
            elif int(window) < 0:
                rules.before.append((word, category, int(window)))
            else:
                rules.after.append((word, category, int(window)))
            if category == "tumour":
                rules.tumour_words.add(word)
        rules.tumour_suffixes = tuple(suffixes)
        return rules


def _tumour_abbreviations(doc: Doc, rules: SiteRules) -> set[str]:
    """Short forms whose long form names a tumour: "IMT" for inflammatory myofibroblastic tumour."""
    found = set()
    for short in getattr(doc._, "abbreviations", None) or []:
        long_form = short._.long_form
        if long_form is not None and any(_is_tumour_word(t.lower_, rules, set()) for t in long_form):
            found.add(short.text.lower())
            found.add(short.text.lower().removesuffix("s"))  # "IMTs" defined, "IMT" used
    return found


def _is_tumour_word(word: str, rules: SiteRules, abbreviations: set[str]) -> bool:
    return (word in rules.tumour_words or word in abbreviations
            or (len(word) > 5 and word.endswith(rules.tumour_suffixes)))


@dataclass
class SitePhrase:
    """One site phrase being built: token range, name, roles, and the tumour noun it is linked to."""

    start: int
    end: int
    name: str
    laterality: str | None
    roles: set[str]
    linked_tumour: int | None = None


def _phrase(doc: Doc, ents: list[Span], rules: SiteRules, abbreviations: set[str]) -> SitePhrase:
    """Adjacent site entities as one phrase, extended left over laterality and qualifier words."""
    first, last = ents[0], ents[-1]
    sent = first.sent
    start = first.start
    while start > sent.start and doc[start - 1].lower_ in rules.joining:
        start -= 1
    modifiers = [t.lower_ for t in doc[start:first.start]]
    laterality = next((w for w in modifiers if w in LATERALITY), None)
    qualifiers = [w for w in modifiers if w not in LATERALITY]
    written = [e.text.lower() for e in ents[:-1]]
    name = " ".join(([laterality] if laterality else []) + qualifiers + written + [last.ent_id_])
    phrase = SitePhrase(start, last.end, name, laterality, set())
    for word, category, window in rules.before:
        if any(t.lower_ == word for t in doc[max(sent.start, start + window):start]):
            phrase.roles.add(category)
    for word, category, window in rules.after:
        if any(t.lower_ == word for t in doc[last.end:min(sent.end, last.end + window)]):
            phrase.roles.add(category)
    after = doc[last.end:min(sent.end, last.end + 2)]
    if any(_is_tumour_word(t.lower_, rules, abbreviations) for t in [*doc[first.start:last.end], *after]):
        phrase.roles.add("tumour")
    _linked_role(doc, phrase, rules, abbreviations)
    if _relatives_site(doc, sent, start):
        phrase.roles.add("relative")
    return phrase


def _relatives_site(doc: Doc, sent: Span, start: int) -> bool:
    """A kinship word a few words before, with no word for the patient between: "her mother had
    breast cancer", "a family history of colon cancer" (not "his mother noticed a mass in his leg")."""
    for kin in (e for e in sent.ents if e.label_ == "KIN" and start - _KIN_REACH <= e.end <= start):
        if not any(kin.end <= e.start < start and e.label_ in ("SEX", "SEX_PRONOUN") for e in sent.ents):
            return True
    return False


def _linked_role(doc: Doc, phrase: SitePhrase, rules: SiteRules, abbreviations: set[str]) -> None:
    """The role a word gives through a link word: "mass in the X" (the tumour noun may stand a few
    words back: "adenocarcinoma stage IIB (pT4aN0) of the X"), "MRI of the X", "pain in the X"
    (these right before the link). A tumour called metastatic makes its place a metastasis."""
    sent_start = doc[phrase.start].sent.start
    i = phrase.start - 1
    if i >= sent_start and doc[i].lower_ in rules.determiners:
        i -= 1
    if i < sent_start or doc[i].lower_ not in rules.links:
        return
    for j in range(i - 1, max(sent_start, i - _LINK_REACH) - 1, -1):
        word = doc[j].lower_
        if _is_tumour_word(word, rules, abbreviations):
            described = {t.lower_ for t in doc[max(sent_start, j - _LINK_REACH):j]}
            metastatic = any(w in described for w, c, _ in rules.before if c == "metastasis")
            phrase.roles.add("metastasis" if metastatic else "tumour")
            phrase.linked_tumour = None if metastatic else j
            return
        if j == i - 1 and word in rules.linked:
            phrase.roles.add(rules.linked[word])
            return


def _relate(phrases: list[SitePhrase], doc: Doc) -> None:
    """Roles that come from the other sites of the sentence: tissue before place, shared lists."""
    for i, phrase in enumerate(phrases):
        sent = doc[phrase.start].sent
        earlier = [p for p in phrases[:i] if p.start >= sent.start]
        if phrase.linked_tumour is not None:
            for other in earlier:
                if phrase.linked_tumour - 2 <= other.end <= phrase.linked_tumour + 1:
                    other.roles.add("tissue")
        if earlier and not phrase.roles & {"origin", "tumour"}:
            previous = earlier[-1]
            between = doc[previous.end:phrase.start]
            if len(between) and all(t.lower_ in _COORDINATION for t in between):
                phrase.roles |= previous.roles & _SHARED_ROLES


def _site_groups(doc: Doc) -> list[list[Span]]:
    """SITE entities, adjacent ones ("small bowel" + "mesentery") grouped as one place."""
    groups: list[list[Span]] = []
    for ent in doc.ents:
        if ent.label_ != "SITE":
            continue
        if groups and groups[-1][-1].end == ent.start and groups[-1][-1].sent.start == ent.sent.start:
            groups[-1].append(ent)
        else:
            groups.append([ent])
    return groups


class RulerSpans:
    def __init__(self, nlp: Language, name: str):
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            if ent.label_ in ("SEX", "SEX_PRONOUN"):
                add_span(doc, SEXES, ent.start_char, ent.end_char, ent.label_, ent.ent_id_)
            elif ent.label_ == "RESPONSE":
                category = None if ent.ent_id_ == "NONE" else ent.ent_id_
                add_span(doc, RESPONSES, ent.start_char, ent.end_char, "RESPONSE", category, {"as_written": ent.text})
        rules = SiteRules.load()
        abbreviations = _tumour_abbreviations(doc, rules)
        phrases = [_phrase(doc, group, rules, abbreviations) for group in _site_groups(doc)]
        _relate(phrases, doc)
        for phrase in phrases:
            start, end = doc[phrase.start].idx, doc[phrase.end - 1].idx + len(doc[phrase.end - 1])
            detail = {"laterality": phrase.laterality, "roles": sorted(phrase.roles), "as_written": doc_text(doc)[start:end]}
            add_span(doc, SITES, start, end, "SITE", phrase.name, detail)
        return doc


@Language.factory("casetable_ruler_spans")
def make_ruler_spans(nlp: Language, name: str) -> RulerSpans:
    return RulerSpans(nlp, name)
