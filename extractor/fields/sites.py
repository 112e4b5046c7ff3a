"""Primary site: the EntityRuler's site phrases (patterns/sites.jsonl) with their roles, and the
patient's primary site picked from them.

The EntityRuler finds the phrases and gives each its normalised value as the pattern id; this
component adds what a phrase alone does not say: its laterality and qualifiers ("right upper lobe"), site words written together
as one place ("small bowel mesentery", "thyroid lobe"), and its roles from the words around it
(patterns/site_context.tsv): the primary tumour's origin or a tumour noun ("mass in the left
lung", "bladder IMT"), or a metastasis, a biopsy route, an imaging plane or modality, a symptom,
a vessel, a relative's disease ("her mother had breast cancer"), a place only suspected
("initially suspected pancreatic cancer", "lung cancer was excluded"). A tissue named before the place
of its tumour ("soft tissue sarcoma of the thigh") is marked ``tissue``: the place says more.
Sites listed together ("metastases to the liver and bone") share the metastasis, procedure and
imaging roles of the first.

A place written into a tumour's name ("metastatic breast carcinoma", "pancreatic neuroendocrine
tumour", "NSCLC") or linked to one ("melanoma of the glans penis") is ``named``: the name says where
the tumour arose, whatever the words around it say of the name ("metastatic", "biopsy of").
A tumour type that implies its place (patterns/tumour_sites.tsv: leukaemia -> bone marrow / blood,
glioma -> brain) gives an ``implied`` site on the word of the name.

The primary site is ranked by what its words say: a place named in a tumour's name, then the place
its type implies, then the tumour's stated origin, then a place holding a tumour, then a tissue
whose tumour's place is named after it, then a bare mention. Sites of metastases, biopsy routes and
imaging planes are passed over. A place named or implied without its side takes the side of the
same organ (or a part of it, patterns/site_parts.tsv: a lung's lobe) where the case locates the
tumour: "lung adenocarcinoma" with "a mass in the right lower lobe" is the right lower lobe.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..annotations import (
    NEGATED,
    OTHER_PATIENT,
    SITES,
    add_span,
    attribute,
    detail_of,
    doc_text,
    modifiers_of,
    norm_of,
    register_extensions,
    sentence_of,
    spans_of,
    token_lowers,
)
from ..pickers import Picked, picks
from ..records import Patient
from ..rules import read_tsv, row_format
from ..scope import Scope
from .diagnosis import DIAGNOSES

COMPONENT = "casetable_sites"
RULER_PATTERNS = "sites.jsonl"

LATERALITY = ("left", "right", "bilateral")
NOT_PRIMARY_ROLES = frozenset({"metastasis", "procedure", "imaging", "symptom", "structure", "relative", "suspected"})
_SHARED_ROLES = frozenset({"metastasis", "procedure", "imaging"})
_COORDINATION = frozenset({",", "and", "or", "both", "the"})
SITE_CONTEXT_ROW = row_format("word category window",
                              category="origin tumour tumour_suffix metastasis procedure imaging symptom structure "
                                       "suspected qualifier laterality link determiner")
TUMOUR_SITE_ROW = row_format("word site")
SITE_PART_ROW = row_format("part organ")
_LINK_REACH = 6
_KIN_REACH = 6


@dataclass
class SiteRules:
    """patterns/site_context.tsv, by use."""

    joining: set[str] = field(default_factory=set)
    # word -> (category, reach): the word gives the category when it stands at most ``reach``
    # words before (after) the site, in its sentence
    before: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    after: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    linked: dict[str, str] = field(default_factory=dict)
    links: set[str] = field(default_factory=set)
    determiners: set[str] = field(default_factory=set)
    tumour_words: set[str] = field(default_factory=set)
    tumour_suffixes: tuple[str, ...] = ()
    reach: int = 0  # the longest reach of a before or after word
    implied: dict[str, str] = field(default_factory=dict)  # tumour-name word -> the site it implies
    parts: dict[str, set[str]] = field(default_factory=dict)  # organ -> the names of its parts

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> SiteRules:
        rules = cls()
        suffixes = []
        for row in read_tsv("site_context.tsv", SITE_CONTEXT_ROW):
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
                rules.before.setdefault(word, []).append((category, -int(window)))
            else:
                rules.after.setdefault(word, []).append((category, int(window)))
            if category == "tumour":
                rules.tumour_words.add(word)
        rules.tumour_suffixes = tuple(suffixes)
        rules.reach = max(reach for words in (rules.before, rules.after) for rows in words.values() for _, reach in rows)
        rules.implied = {row["word"]: row["site"] for row in read_tsv("tumour_sites.tsv", TUMOUR_SITE_ROW)}
        for row in read_tsv("site_parts.tsv", SITE_PART_ROW):
            rules.parts.setdefault(row["organ"], set()).add(row["part"])
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
    sent_start: int
    name: str
    laterality: str | None
    roles: set[str]
    linked_tumour: int | None = None


@dataclass
class _Words:
    """The lowercase words of a Doc, read once per Doc: the rules below look at a few words around
    every site, and each ``doc[i]`` builds a Token object."""

    doc: Doc
    lower: list[str]
    rules: SiteRules
    abbreviations: set[str]
    names: dict[int, Span]  # token index -> the tumour name (a DIAGNOSIS span, singular) it stands in

    def tumour_word(self, i: int) -> bool:
        return _is_tumour_word(self.lower[i], self.rules, self.abbreviations)

    def in_name(self, start: int, end: int) -> bool:
        """The tokens start..end stand in one tumour name, or right before one ("retroperitoneal
        liposarcoma": the name leaves a place out of the tumour type), or themselves end in a tumour
        word ("lung cancer", "NSCLC" where the text defines it)."""
        name = self.names.get(start)
        return ((name is not None and end <= name.end) or end in self.names
                or any(self.tumour_word(i) for i in range(start, end)))

    def roles_near(self, positions: range, by_word: dict[str, list[tuple[str, int]]]) -> set[str]:
        """The categories the words at ``positions`` (nearest first) give within their reach."""
        roles: set[str] = set()
        for distance, i in enumerate(positions[:self.rules.reach], start=1):
            roles.update(category for category, reach in by_word.get(self.lower[i], ()) if distance <= reach)
        return roles


def _phrase(words: _Words, ents: list[Span], kin: list[Span], patient_words: list[Span]) -> SitePhrase:
    """Adjacent site entities as one phrase, extended left over laterality and qualifier words."""
    first, last = ents[0], ents[-1]
    rules, lower = words.rules, words.lower
    sent_start, sent_end = sentence_of(words.doc, first.start, first.end)
    start = first.start
    while start > sent_start and lower[start - 1] in rules.joining:
        start -= 1
    modifiers = lower[start:first.start]
    laterality = next((w for w in modifiers if w in LATERALITY), None)
    qualifiers = [w for w in modifiers if w not in LATERALITY]
    written = [e.text.lower() for e in ents[:-1]]
    name = " ".join(([laterality] if laterality else []) + qualifiers + written + [last.ent_id_])
    phrase = SitePhrase(start, last.end, sent_start, name, laterality, set())
    phrase.roles |= words.roles_near(range(start - 1, sent_start - 1, -1), rules.before)
    phrase.roles |= words.roles_near(range(last.end, sent_end), rules.after)
    if any(words.tumour_word(i) for i in range(first.start, max(last.end, min(sent_end, last.end + 2)))):
        phrase.roles.add("tumour")
    if words.in_name(first.start, last.end):
        phrase.roles.add("named")
    _linked_role(words, phrase)
    if _relatives_site(kin, patient_words, start):
        phrase.roles.add("relative")
    return phrase


def _relatives_site(kin: list[Span], patient_words: list[Span], start: int) -> bool:
    """A kinship word a few words before, with no word for the patient between: "her mother had
    breast cancer", "a family history of colon cancer" (not "his mother noticed a mass in his leg").
    ``kin`` and ``patient_words`` are the KIN and SEX/SEX_PRONOUN entities of the site's sentence."""
    for relative in (e for e in kin if start - _KIN_REACH <= e.end <= start):
        if not any(relative.end <= e.start < start for e in patient_words):
            return True
    return False


def _linked_role(words: _Words, phrase: SitePhrase) -> None:
    """The role a word gives through a link word: "mass in the X" (the tumour noun may stand a few
    words back: "adenocarcinoma stage IIB (pT4aN0) of the X"), "MRI of the X", "pain in the X"
    (these right before the link). A tumour called metastatic makes its place a metastasis."""
    rules, lower, sent_start = words.rules, words.lower, phrase.sent_start
    i = phrase.start - 1
    if i >= sent_start and lower[i] in rules.determiners:
        i -= 1
    if i < sent_start or lower[i] not in rules.links:
        return
    for j in range(i - 1, max(sent_start, i - _LINK_REACH) - 1, -1):
        word = lower[j]
        if words.tumour_word(j):
            described = set(lower[max(sent_start, j - _LINK_REACH):j])
            metastatic = any(c == "metastasis" for w in described for c, _ in rules.before.get(w, ()))
            phrase.roles.add("metastasis" if metastatic else "tumour")
            if not metastatic and j in words.names and not detail_of(words.names[j])["generic"]:
                phrase.roles.add("named")  # "melanoma of the X"; not "a large tumour in the X"
            phrase.linked_tumour = None if metastatic else j
            return
        if j == i - 1 and word in rules.linked:
            phrase.roles.add(rules.linked[word])
            return


def _relate(phrases: list[SitePhrase], words: _Words) -> None:
    """Roles that come from the other sites of the sentence: tissue before place, shared lists."""
    starts = [p.start for p in phrases]  # the phrases of a sentence follow those of earlier sentences
    for i, phrase in enumerate(phrases):
        earlier = phrases[bisect_left(starts, phrase.sent_start, 0, i):i]
        if phrase.linked_tumour is not None:
            for other in earlier:
                if phrase.linked_tumour - 2 <= other.end <= phrase.linked_tumour + 1:
                    other.roles.add("tissue")
        if earlier and not phrase.roles & {"origin", "tumour"}:
            previous = earlier[-1]
            between = words.lower[previous.end:phrase.start]
            if between and all(w in _COORDINATION for w in between):
                phrase.roles |= previous.roles & _SHARED_ROLES


def _entities_by_sentence(doc: Doc) -> tuple[list[list[Span]], dict[int, list[Span]]]:
    """SITE entities, adjacent ones ("small bowel" + "mesentery") grouped as one place, and the
    entities of each sentence, by its start: one pass over the entities (``Span.ents`` scans all the
    Doc's entities on every call)."""
    groups: list[list[Span]] = []
    by_sentence: dict[int, list[Span]] = {}
    previous_start = -1  # sentence start of the previous SITE entity
    for ent in doc.ents:
        sent_start = sentence_of(doc, ent.start, ent.end)[0]
        by_sentence.setdefault(sent_start, []).append(ent)
        if ent.label_ != "SITE":
            continue
        if groups and groups[-1][-1].end == ent.start and previous_start == sent_start:
            groups[-1].append(ent)
        else:
            groups.append([ent])
        previous_start = sent_start
    return groups, by_sentence


def _tumour_names(doc: Doc) -> dict[int, Span]:
    """Each token of a singular tumour name, with the name: a plural name speaks of a kind of tumour."""
    return {i: name for name in doc.spans.get(DIAGNOSES, []) if not detail_of(name)["plural"]
            for i in range(name.start, name.end)}


def _implied_sites(doc: Doc, names: dict[int, Span], rules: SiteRules) -> None:
    """A site on each word of a tumour name whose type implies its place ("leukaemia")."""
    for i in sorted(names):
        site = rules.implied.get(doc[i].lower_)
        if site is not None:
            token = doc[i]
            add_span(doc, SITES, token.idx, token.idx + len(token), "SITE", site,
                     {"laterality": None, "roles": ["implied"], "as_written": token.text, "organ": site})


class SiteMentions:
    def __init__(self, nlp: Language, name: str):
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        rules = SiteRules.load()
        names = _tumour_names(doc)
        groups, by_sentence = _entities_by_sentence(doc)
        words = _Words(doc, token_lowers(doc), rules, _tumour_abbreviations(doc, rules), names)
        phrases = []
        for group in groups:
            ents = by_sentence[sentence_of(doc, group[0].start, group[0].end)[0]]
            kin = [e for e in ents if e.label_ == "KIN"]
            patient_words = [e for e in ents if e.label_ in ("SEX", "SEX_PRONOUN")]
            phrases.append(_phrase(words, group, kin, patient_words))
        _relate(phrases, words)
        for phrase, group in zip(phrases, groups):
            start, end = doc[phrase.start].idx, doc[phrase.end - 1].idx + len(doc[phrase.end - 1])
            detail = {"laterality": phrase.laterality, "roles": sorted(phrase.roles),
                      "as_written": doc_text(doc)[start:end], "organ": group[-1].ent_id_}
            add_span(doc, SITES, start, end, "SITE", phrase.name, detail)
        _implied_sites(doc, names, rules)
        return doc


@Language.factory(COMPONENT, assigns=[attribute(SITES)], requires=["doc.ents", attribute(DIAGNOSES)])
def make_site_mentions(nlp: Language, name: str) -> SiteMentions:
    return SiteMentions(nlp, name)


# Site ranks: what the words around a site mention say of it.
_NAMED, _IMPLIED, _ORIGIN, _TUMOUR, _TISSUE, _MENTION = 6, 5, 4, 3, 2, 1
# Not the patient's tumour's place, even in a tumour's name.
_VETO = frozenset({"relative", "structure", "suspected"})


def site_rank(span: Span) -> int:
    """How surely a site mention names the primary tumour's place; 0 when it names another place."""
    roles = set(detail_of(span).get("roles", []))
    if roles & _VETO or OTHER_PATIENT in modifiers_of(span):
        return 0
    if "tissue" in roles:
        return _TISSUE
    if "named" in roles:
        return _NAMED
    if "implied" in roles:
        return _IMPLIED
    if roles & NOT_PRIMARY_ROLES:
        return 0
    if "origin" in roles:
        return _ORIGIN
    return _TUMOUR if "tumour" in roles else _MENTION


def _with_side(best: Span, sites: list[Span], rules: SiteRules) -> Span:
    """The same organ with its side, or a part of it with its side where the case locates a tumour
    ("a mass in the right lower lobe": a lobe alone may be another organ's); ``best`` itself when it
    has a side or no such mention exists."""
    if detail_of(best).get("laterality"):
        return best
    organ = detail_of(best).get("organ")
    same = {organ} | rules.parts.get(organ, set())
    sided = [s for s in sites if detail_of(s).get("laterality") and detail_of(s).get("organ") in same
             and site_rank(s) >= (_MENTION if detail_of(s)["organ"] == organ else _TUMOUR)
             and NEGATED not in modifiers_of(s)]
    return max(sided, key=lambda s: (site_rank(s), detail_of(s)["organ"] == organ, -s.start), default=best)


def _most_named(ranked: list[Span], inside: list[Span]) -> Span:
    """Of sites named (or implied) by tumour names, the organ the text names most often, its
    earliest mention in the case description first: the patient's tumour is named again and again,
    another place of it ("carcinoma in the liver") or another tumour once."""
    votes: dict[str, int] = {}
    for span in ranked:
        votes[detail_of(span)["organ"]] = votes.get(detail_of(span)["organ"], 0) + 1
    in_case = {id(s) for s in inside}
    return max(ranked, key=lambda s: (votes[detail_of(s)["organ"]], site_rank(s), id(s) in in_case, -s.start))


@picks(Patient, "primary_site")
def pick_site(doc: Doc, scope: Scope) -> dict[str, Picked]:
    """The place tumour names name most often (in the case description, abstract or title), else
    the best-ranked site of the case description (earliest among equals); a bare mention yields to a
    tumour's place in the abstract or title; a negated mention is the last resort."""
    sites = sorted(spans_of(doc, SITES), key=lambda s: s.start)
    inside = [s for s in sites if scope.contains(s)]
    outside = [s for s in sites if scope.in_fallback(s)]
    steps = ((inside + outside, _IMPLIED, False), (inside, _TISSUE, False),
             (outside, _TISSUE, False), (inside, _MENTION, False), (outside, _MENTION, False),
             (inside, _MENTION, True), (outside, _MENTION, True))
    for group, minimum, negated in steps:
        ranked = [s for s in group if site_rank(s) >= minimum and (NEGATED in modifiers_of(s)) == negated]
        if ranked:
            best = (_most_named(ranked, inside) if minimum == _IMPLIED
                    else max(ranked, key=lambda s: (site_rank(s), -s.start)))
            best = _with_side(best, inside, SiteRules.load())
            return {"primary_site": Picked(norm_of(best), best)}
    return {}
