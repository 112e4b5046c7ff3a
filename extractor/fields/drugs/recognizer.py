"""Drugs: generic, brand and code names resolved to the lowercase INN.

drug-named-entity-recognition's offline dictionary (~107k names, read by ``dictionary.py``)
finds the names in the token list; patterns/drug_supplement.tsv adds what it lacks (code names such
as LOXO-101, newer INNs, common misspellings) and patterns/inn_synonyms.tsv the USAN/BAN/common
names; an unknown word with a drug stem ("crizonitib") is matched to the closest dictionary name
with a drug stem. A token that joins names with hyphens, slashes or plus signs ("cisplatin-doxorubicin", "gemcitabine/cisplatin", "ATRA-treated", "imatinib-resistant")
is read part by part: its span carries the first INN as ``ct_norm`` and every INN, in order, as
``ct_detail["regimen"]``. Names resolve through ``names.normalize_drug`` (salt forms,
USAN/BAN -> INN).
A combination product in the supplement ("augmentin" -> "amoxicillin+clavulanic acid") gives a regimen
the same way. A short form the text defines for a drug ("mitomycin C (MMC)", found by scispaCy's
abbreviation detector) is that drug wherever it occurs. A regimen acronym ("R-CHOP", ``regimens.py``)
is a regimen of the members the document names: its span carries them as ``ct_detail["regimen"]`` and
the acronym as written as ``ct_detail["acronym"]``; every regimen acronym, listed or not, is also a span
of the REGIMENS group, so that one whose drugs are never named is still kept. A name followed by a lab
value ("uric acid 4.7 mg/dL", ``measurements.py``) was measured and is no drug mention.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from ...annotations import DRUGS, REGIMENS, add_span, attribute, doc_text, register_extensions, token_texts
from ...pickers import Picked, picks
from ...records import Report
from ...rules import read_lines, read_tsv
from ..picking import document_mentions
from .dictionary import DrugDictionary, drug_dictionary
from .measurements import LabValues, after_short_forms
from .names import letters_and_digits, listed_skeletons, listed_synonym, name_skeleton, normalize_drug
from .regimens import RegimenTable, may_be_acronym

_MIN_LENGTH = 3
_MIN_PART_LENGTH = 4  # a part of a joined token ("nab" of nab-paclitaxel, "PD" of PD-L1) is not looked up below this
_JOINERS = re.compile(r"[-/+]")
_MAX_WIDTH = 3  # tokens in a listed name; the widest window that names one wins
# difflib similarity a misspelling needs to its drug: "crizonitib" ~ crizotinib 0.90, "imatanib" ~
# imatinib 0.88; an unknown new INN should not be taken for a known one.
_FUZZY_CUTOFF = 0.85
_WORD_CACHE = 65536  # distinct words whose answers are remembered: a batch of documents repeats its words


@lru_cache(maxsize=1)
def _two_word_starts() -> frozenset[str]:
    """Every text before a space in a dictionary name: a token whose lower case is none of them begins
    no two-token name (lower-casing "A B" lower-cases A and B apart), so its pair with the next token
    need not be looked up."""
    return frozenset(name[:i] for name in drug_dictionary().variant_to_canonical if " " in name
                     for i, char in enumerate(name) if char == " ")


def _dictionary_hits(words: list[_Word]) -> Iterator[tuple[dict, int, int]]:
    """What drug-named-entity-recognition's ``find_drugs`` finds in the tokens, in its order: two-token
    names first, then single tokens not inside one; each hit's dictionary record merged as it merges
    them. Read from its tables directly because ``find_drugs`` looks up every token pair and computes
    a molecular weight per hit, which costs more than the rest of the component and is never read."""
    dictionary = drug_dictionary()
    inside: set[int] = set()
    for i in [i for i, word in enumerate(words[:-1]) if word.begins_pair]:
        pair = words[i].text + " " + words[i + 1].text
        if dictionary.variant_to_canonical.get(pair.lower()):
            yield from _records(dictionary, pair, i, i + 2)
            inside.update((i, i + 1))
    for i in [i for i, word in enumerate(words) if word.in_dictionary and i not in inside]:
        yield from _records(dictionary, words[i].text, i, i + 1)


def _records(dictionary: DrugDictionary, written: str, start: int, end: int) -> Iterator[tuple[dict, int, int]]:
    """find_drugs' record of each dictionary entry a written name is a variant of (none when it is none)."""
    key = written.lower()
    for canonical in dictionary.variant_to_canonical.get(key, ()):
        record = dict(dictionary.canonical_to_data.get(canonical, {})) | dictionary.variant_to_variant_data.get(key, {})
        record["matching_string"] = written
        yield record, start, end


_COMBINATION = re.compile(r",\s*and\s+|\s+and\s+|,\s*")


def _combination(name: str) -> list[str]:
    """The drugs of a dictionary entry that names a combination product ("Nirmatrelvir and Ritonavir",
    the entry of Paxlovid), each a dictionary name of its own; else the name itself. A product's
    drugs are lines of one regimen, as the INNs of "sulfamethoxazole/trimethoprim" are."""
    parts = _COMBINATION.split(name)
    names = drug_dictionary().variant_to_canonical
    return parts if len(parts) > 1 and all(names.get(part.lower()) for part in parts) else [name]


class _StemNames:
    """Dictionary names (one word) that end with a drug stem, the candidates for a misspelling, with
    their letter counts.

    difflib keeps a name only when its quick_ratio (twice the letters shared with the word, over both
    lengths) reaches the cutoff; that bound is computed for every name at once here, and difflib
    itself then chooses among the few names that reach it: the same answer, without a Python pass
    over thousands of names.
    """

    def __init__(self, names: Iterable[str]):
        self.names = tuple(names)
        self.letters = {char: i for i, char in enumerate(sorted({c for name in self.names for c in name}))}
        self.counts = np.zeros((len(self.names), len(self.letters)), dtype=np.int32)
        for row, name in enumerate(self.names):
            for char in name:
                self.counts[row, self.letters[char]] += 1
        self.lengths = np.array([len(name) for name in self.names])

    def closest(self, word: str, cutoff: float) -> str | None:
        """``difflib.get_close_matches(word, names, n=1, cutoff=cutoff)``, the match or None."""
        wanted = np.zeros(len(self.letters), dtype=np.int32)
        for char in word:
            if char in self.letters:
                wanted[self.letters[char]] += 1
        shared = np.minimum(self.counts, wanted).sum(axis=1)
        bound_reached = 2.0 * shared >= (cutoff - 1e-9) * (self.lengths + len(word))  # slack for rounding
        candidates = [self.names[i] for i in np.flatnonzero(bound_reached)]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
        return close[0] if close else None


@lru_cache(maxsize=4)
def _stem_names(stems: tuple[str, ...]) -> _StemNames:
    """Built once per process, when the first misspelling is sought."""
    return _StemNames(name for name in drug_dictionary().variant_to_canonical
                      if name.isalpha() and name.endswith(stems))


class _ListedWindows:
    """Which windows of tokens may name a drug of the project's data, told from letters and digits alone.

    Looking up every 1-, 2- and 3-token window would cost more than the rest of the component. A
    window's text names a listed drug only when its skeleton is one of a listed name (synonyms: the
    skeleton cleaning keeps, see ``name_skeleton``; supplement: the letters and digits of the lower-case
    text, which the look-up compares whole), and a window's skeleton is its tokens' skeletons joined.
    So windows are widened token by token only while the skeleton so far begins some listed name, and
    only those whose skeleton is a whole one are looked up: no window that names a drug is passed over.
    """

    def __init__(self, synonyms: Iterable[str], supplement: Iterable[str]):
        self.synonyms, self.supplement = frozenset(synonyms), frozenset(supplement)
        self.synonym_prefixes, self.supplement_prefixes = (
            frozenset(name[:i] for name in names for i in range(len(name) + 1))
            for names in (self.synonyms, self.supplement))

    @staticmethod
    def skeletons(text: str) -> tuple[str, str]:
        """A token's letters and digits as the synonyms (``name_skeleton``) and the supplement (lower
        case) compare them."""
        return name_skeleton(text), letters_and_digits(text.lower())

    def begins(self, skeletons: tuple[str, str]) -> bool:
        """Whether a window starting with a token of these skeletons may name a listed drug."""
        return skeletons[0] in self.synonym_prefixes or skeletons[1] in self.supplement_prefixes

    def widths(self, words: list[_Word], start: int) -> list[int]:
        """The widths (widest first) of the windows from ``start`` that may name a listed drug."""
        found: list[int] = []
        synonym = supplement = ""
        for end in range(start, min(start + _MAX_WIDTH, len(words))):
            more_synonym, more_supplement = words[end].skeletons
            synonym, supplement = synonym + more_synonym, supplement + more_supplement
            if synonym in self.synonyms or supplement in self.supplement:
                found.insert(0, end + 1 - start)
            if synonym not in self.synonym_prefixes and supplement not in self.supplement_prefixes:
                break
        return found


@dataclass
class _Found:
    end: int
    names: list[str]
    how: str


@dataclass(frozen=True)
class _Word:
    """What the recogniser asks of a token, worked out once per distinct word (``DrugRecognizer.words``):
    the text and lexeme attributes, and which look-ups the word may take part in. Asking each token
    anew costs a Token object and a probe of the large dictionary tables per token and question."""

    text: str
    lower: str  # the lexeme's lower case (Token.lower_)
    space: bool
    punct: bool
    skeletons: tuple[str, str]  # _ListedWindows.skeletons
    begins_listed: bool  # a window starting here may name a listed drug
    begins_pair: bool  # the lower-case text begins a two-token dictionary name
    in_dictionary: bool  # the lower-case text is a dictionary name
    joins: bool  # holds a hyphen, slash or plus sign
    may_be_misspelt: bool  # a letters-only word long enough, with a drug stem
    may_be_acronym: bool  # two capitals or more: a regimen acronym may be written so


class DrugRecognizer:
    def __init__(self, nlp: Language, name: str, supplement_file: str, stems_file: str,
                 not_drugs_file: str, supportive_file: str, regimens_file: str, regimen_cues_file: str,
                 lab_values_file: str, fuzzy: bool):
        register_extensions()
        self.lab_values = LabValues(lab_values_file)
        self.regimens = RegimenTable(regimens_file, regimen_cues_file)
        self.supplement = {row["name"]: row["inn"].split("+") for row in read_tsv(supplement_file)}
        self.stems = tuple(read_lines(stems_file))
        self.not_drugs = frozenset(read_lines(not_drugs_file))
        self.supportive = frozenset(read_lines(supportive_file))
        self.fuzzy = fuzzy
        self.listed_windows = _ListedWindows(listed_skeletons(), map(letters_and_digits, self.supplement))
        self.vocab = nlp.vocab
        # Per distinct word, bounded: what a word is and names is worked out once per batch.
        self.word = lru_cache(maxsize=_WORD_CACHE)(self._word)
        self.joined_names = lru_cache(maxsize=_WORD_CACHE)(self._joined_names)
        self.misspelt = lru_cache(maxsize=_WORD_CACHE)(self._misspelt)

    def __call__(self, doc: Doc) -> Doc:
        words = self.words(doc)
        found: dict[int, _Found] = {}
        self._find_listed(words, found)
        self._find_in_dictionary(doc, words, found)
        self._find_joined_and_misspelt(words, found)
        self._find_regimens(doc, words, found)
        # The getter makes the short forms' Spans on each access: read them once.
        abbreviations = getattr(doc._, "abbreviations", None) or []
        self._add_abbreviations(abbreviations, found)
        self._add_spans(doc, found, after_short_forms(abbreviations))
        return doc

    def words(self, doc: Doc) -> list[_Word]:
        """The ``_Word`` of each token, by its string id: a document repeats its words, and so does a
        batch (the recogniser serves its pipeline's vocabulary)."""
        return [self.word(orth) for orth in doc.to_array(ORTH).tolist()]

    def _word(self, orth: int) -> _Word:
        lexeme = self.vocab[orth]
        text, key = lexeme.orth_, lexeme.orth_.lower()  # the dictionary is keyed by str.lower()
        skeletons = self.listed_windows.skeletons(text)
        return _Word(
            text=text, lower=lexeme.lower_, space=lexeme.is_space, punct=lexeme.is_punct, skeletons=skeletons,
            begins_listed=not (lexeme.is_punct or lexeme.is_space) and self.listed_windows.begins(skeletons),
            begins_pair=key in _two_word_starts(),
            in_dictionary=bool(drug_dictionary().variant_to_canonical.get(key)),
            joins=bool(_JOINERS.search(text)),
            may_be_misspelt=lexeme.is_alpha and self._may_be_misspelt(lexeme.lower_),
            may_be_acronym=may_be_acronym(text))

    def _find_listed(self, words: list[_Word], found: dict[int, _Found]) -> None:
        """Names of the project's data, the widest window first, none across a space or ending in punctuation."""
        for i in [i for i, word in enumerate(words) if word.begins_listed]:
            for width in self.listed_windows.widths(words, i):
                end = i + width
                if any(word.space for word in words[i:end]) or words[end - 1].punct:
                    continue
                names = self._listed(" ".join(word.text for word in words[i:end]))
                if names:
                    found[i] = _Found(end, names, "supplement")
                    break

    def _find_in_dictionary(self, doc: Doc, words: list[_Word], found: dict[int, _Found]) -> None:
        for data, start, end in _dictionary_hits(words):
            if not self._is_substance(data) or start in found:
                continue
            text = doc[start:end].text
            if text.strip() and len(text) >= _MIN_LENGTH and not self._is_gene_like(text):
                found[start] = _Found(end, _combination(data.get("name") or data.get("matching_string", "")),
                                      "dictionary")

    def _find_joined_and_misspelt(self, words: list[_Word], found: dict[int, _Found]) -> None:
        """Tokens not found yet that join names ("gemcitabine/cisplatin") or misspell one."""
        for i, word in enumerate(words):
            if i in found:
                continue
            if word.joins:
                names = self.joined_names(word.text)
                if names:
                    found[i] = _Found(i + 1, list(names), "joined")
            elif word.may_be_misspelt:
                name = self.misspelt(word.lower)
                if name:
                    found[i] = _Found(i + 1, [name], "fuzzy")

    def _joined_names(self, text: str) -> tuple[str, ...]:
        """The names in a token that joins words with hyphens, slashes or plus signs."""
        return tuple(n for part in _JOINERS.split(text) for n in self._part(part))

    def _may_be_misspelt(self, word: str) -> bool:
        """Whether a letters-only word (lower case) is worth comparing with the names of a drug stem."""
        return self.fuzzy and len(word) >= 7 and word.endswith(self.stems)

    def _misspelt(self, word: str) -> str | None:
        """The dictionary name closest to a misspelt word (lower case, letters only) with a drug stem,
        among the names with one (``_StemNames.closest``); remembered per word as ``self.misspelt``."""
        if not self._may_be_misspelt(word):
            return None
        close = _stem_names(self.stems).closest(word, _FUZZY_CUTOFF)
        return drug_dictionary().variant_to_canonical[close][0] if close else None

    def _find_regimens(self, doc: Doc, words: list[_Word], found: dict[int, _Found]) -> None:
        """Regimen acronyms: each a REGIMENS span, and a drug hit of the members named elsewhere in
        the document (``Regimen.named``), in place of what its letters alone were read as."""
        named = {inn for hit in found.values() for inn in map(normalize_drug, hit.names)}
        texts = token_texts(doc)
        for i in [i for i, word in enumerate(words) if word.may_be_acronym]:
            regimen = self.regimens.read(texts, i)
            if regimen is None:
                continue
            token = doc[i]
            add_span(doc, REGIMENS, token.idx, token.idx + len(token.text), "REGIMEN", regimen.acronym)
            members = regimen.named(named)
            if members:
                found[i] = _Found(i + 1, members, "regimen")

    @staticmethod
    def _add_abbreviations(abbreviations: list[Span], found: dict[int, _Found]) -> None:
        """Occurrences of a short form whose long form is a found drug name that drug."""
        for short in abbreviations:
            long_form = short._.long_form
            hit = found.get(long_form.start) if long_form is not None else None
            if hit is not None and hit.end >= long_form.end and short.start not in found:
                found[short.start] = _Found(short.end, hit.names, "abbreviation")

    def _add_spans(self, doc: Doc, found: dict[int, _Found], short_forms: dict[int, int]) -> None:
        covered: set[int] = set()
        for start in sorted(found):
            hit = found[start]
            if covered & set(range(start, hit.end)):
                continue
            inns = list(dict.fromkeys(n for n in map(normalize_drug, hit.names) if n and n not in self.not_drugs))
            span = doc[start:hit.end]
            if not inns or self.lab_values.measured(doc, span, short_forms):
                continue
            covered.update(range(start, hit.end))
            as_written = doc_text(doc)[span.start_char:span.end_char]  # Span.text would join its tokens anew
            detail = {"as_written": as_written, "match": hit.how, "supportive": inns[0] in self.supportive}
            if len(inns) > 1:
                detail["regimen"] = inns
            if hit.how == "regimen":
                detail["acronym"] = as_written
            add_span(doc, DRUGS, span.start_char, span.end_char, "DRUG", inns[0], detail)

    def _listed(self, text: str) -> list[str]:
        """The INN(s) of a name the project's data knows: the supplement (code names, misspellings,
        combination products) or the synonyms."""
        if text.lower() in self.supplement:
            return self.supplement[text.lower()]
        synonym = listed_synonym(text)
        return [synonym] if synonym else []

    def _part(self, part: str) -> list[str]:
        """One part of a joined token: a listed name, an exact dictionary name, or a stem misspelling."""
        listed = self._listed(part)
        if listed or len(part) < _MIN_PART_LENGTH or not part.isalpha() or self._is_gene_like(part):
            return listed
        for data, _, _ in _records(drug_dictionary(), part, 0, 1):
            if self._is_substance(data):
                return [data.get("name")]
        fuzzy = self.misspelt(part.lower())
        return [fuzzy] if fuzzy else []

    @staticmethod
    def _is_substance(data: dict) -> bool:
        """Dictionary entries with a DrugBank or MedlinePlus record are substances one can give;
        the others are MeSH headings for classes ("Anti-Inflammatory Agents, Non-Steroidal"),
        enzymes or receptors ("Receptor, Platelet-Derived Growth Factor beta")."""
        return bool(data.get("drugbank_id") or data.get("medline_plus_id"))

    @staticmethod
    def _is_gene_like(text: str) -> bool:
        """Short all-capital tokens ("ALK", "MET") are genes or abbreviations, not drug names."""
        return text.isupper() and len(text) <= 4 and text.isalpha()


COMPONENT = "casetable_drugs"


@Language.factory(
    COMPONENT,
    assigns=[attribute(DRUGS), attribute(REGIMENS)],
    default_config={"supplement_file": "drug_supplement.tsv", "stems_file": "drug_stems.txt",
                    "not_drugs_file": "not_drugs.txt", "supportive_file": "supportive_drugs.txt",
                    "regimens_file": "regimens.tsv", "regimen_cues_file": "regimen_cues.txt",
                    "lab_values_file": "lab_values.tsv", "fuzzy": True},
)
def make_drug_recognizer(nlp: Language, name: str, supplement_file: str, stems_file: str, not_drugs_file: str,
                         supportive_file: str, regimens_file: str, regimen_cues_file: str, lab_values_file: str,
                         fuzzy: bool) -> DrugRecognizer:
    return DrugRecognizer(nlp, name, supplement_file, stems_file, not_drugs_file, supportive_file, regimens_file,
                          regimen_cues_file, lab_values_file, fuzzy)


@picks(Report, "drugs")
def document_drugs(doc: Doc) -> dict[str, Picked]:
    """Every drug the document names anywhere, not negated, first-seen order; which of them a
    patient received is for treatment-line assembly (``extractor.lines``)."""
    return {"drugs": Picked(document_mentions(doc, DRUGS))}
