"""Drugs: generic, brand and code names resolved to the lowercase INN.

drug-named-entity-recognition's offline dictionary (~107k names) finds the names in the token list;
patterns/drug_supplement.tsv adds what it lacks (code names such as LOXO-101, newer INNs, common
misspellings) and patterns/inn_synonyms.tsv the USAN/BAN/common names; an unknown word with a drug
stem ("crizonitib") is matched to the closest dictionary name with a drug stem. A token that joins names with hyphens, slashes or
plus signs ("cisplatin-doxorubicin", "gemcitabine/cisplatin", "ATRA-treated", "imatinib-resistant")
is read part by part: its span carries the first INN as ``ct_norm`` and every INN, in order, as
``ct_detail["regimen"]``. Names resolve through ``extractor.drugnames.normalize_drug`` (salt forms,
USAN/BAN -> INN), the same function the evaluation uses, so what is extracted and what is scored agree.
A combination product in the supplement ("augmentin" -> "amoxicillin+clavulanic acid") gives a regimen
the same way. A short form the text defines for a drug ("mitomycin C (MMC)", found by scispaCy's
abbreviation detector) is that drug wherever it occurs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..drugnames import listed_synonym, normalize_drug
from ..rules import read_lines, read_tsv
from .extensions import DRUGS, add_span, register_extensions

_MIN_LENGTH = 3
_MIN_PART_LENGTH = 4  # a part of a joined token ("nab" of nab-paclitaxel, "PD" of PD-L1) is not looked up below this
_JOINERS = re.compile(r"[-/+]")
_WIDTHS = (3, 2, 1)
# difflib similarity a misspelling needs to its drug: "crizonitib" ~ crizotinib 0.90, "imatanib" ~
# imatinib 0.88; an unknown new INN should not be taken for a known one.
_FUZZY_CUTOFF = 0.85


@lru_cache(maxsize=1)
def _drug_finder():
    """The dictionary loads in ~2 s: import it once per process, when the first drug is sought."""
    from drug_named_entity_recognition import drugs_finder

    return drugs_finder


@lru_cache(maxsize=4)
def _stem_names(stems: tuple[str, ...]) -> tuple[str, ...]:
    """Dictionary names (one word) that end with a drug stem: the candidates for a misspelling."""
    return tuple(name for name in _drug_finder().drug_variant_to_canonical
                 if name.isalpha() and name.endswith(stems))


@dataclass
class _Found:
    end: int
    names: list[str]
    how: str


class DrugRecognizer:
    def __init__(self, nlp: Language, name: str, supplement_file: str, stems_file: str,
                 not_drugs_file: str, supportive_file: str, fuzzy: bool):
        register_extensions()
        self.supplement = {row["name"]: row["inn"].split("+") for row in read_tsv(supplement_file)}
        self.stems = tuple(read_lines(stems_file))
        self.not_drugs = frozenset(read_lines(not_drugs_file))
        self.supportive = frozenset(read_lines(supportive_file))
        self.fuzzy = fuzzy

    def __call__(self, doc: Doc) -> Doc:
        finder = _drug_finder()
        # Token attributes read once into lists: indexing a Doc creates a Token object each time.
        tokens, space, punct = [], [], []
        for token in doc:
            tokens.append(token.text)
            space.append(token.is_space)
            punct.append(token.is_punct)
        found: dict[int, _Found] = {}
        for i in range(len(tokens)):
            for width in _WIDTHS:
                end = i + width
                if end > len(tokens) or any(space[i:end]) or punct[i] or punct[end - 1]:
                    continue
                names = self._listed(" ".join(tokens[i:end]))
                if names:
                    found.setdefault(i, _Found(i + width, names, "supplement"))
                    break
        for data, start, end in finder.find_drugs(tokens, is_ignore_case=True):
            if not self._is_substance(data) or start in found:
                continue
            text = doc[start:end].text
            if text.strip() and len(text) >= _MIN_LENGTH and not self._is_gene_like(text):
                found[start] = _Found(end, [data.get("name") or data.get("matching_string", "")], "dictionary")
        for i, token in enumerate(doc):
            if i in found:
                continue
            if _JOINERS.search(token.text):
                names = [n for part in _JOINERS.split(token.text) for n in self._part(part)]
                if names:
                    found[i] = _Found(i + 1, names, "joined")
            elif self._fuzzy_candidate(token.lower_, token.is_alpha):
                name = self._fuzzy(token.lower_)
                if name:
                    found[i] = _Found(i + 1, [name], "fuzzy")
        self._add_abbreviations(doc, found)
        self._add_spans(doc, found)
        return doc

    @staticmethod
    def _add_abbreviations(doc: Doc, found: dict[int, _Found]) -> None:
        """Occurrences of a short form whose long form is a found drug name that drug."""
        for short in getattr(doc._, "abbreviations", None) or []:
            long_form = short._.long_form
            hit = found.get(long_form.start) if long_form is not None else None
            if hit is not None and hit.end >= long_form.end and short.start not in found:
                found[short.start] = _Found(short.end, hit.names, "abbreviation")

    def _add_spans(self, doc: Doc, found: dict[int, _Found]) -> None:
        covered: set[int] = set()
        for start in sorted(found):
            hit = found[start]
            if covered & set(range(start, hit.end)):
                continue
            inns = list(dict.fromkeys(n for n in map(normalize_drug, hit.names) if n and n not in self.not_drugs))
            if not inns:
                continue
            covered.update(range(start, hit.end))
            span = doc[start:hit.end]
            detail = {"as_written": span.text, "match": hit.how, "supportive": inns[0] in self.supportive}
            if len(inns) > 1:
                detail["regimen"] = inns
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
        for data, _, _ in _drug_finder().find_drugs([part], is_ignore_case=True):
            if self._is_substance(data):
                return [data.get("name")]
        fuzzy = self._fuzzy(part.lower()) if self._fuzzy_candidate(part.lower(), True) else None
        return [fuzzy] if fuzzy else []

    def _fuzzy_candidate(self, text: str, is_alpha: bool) -> bool:
        return self.fuzzy and is_alpha and len(text) >= 7 and text.endswith(self.stems)

    def _fuzzy(self, text: str) -> str | None:
        """The dictionary name closest to a misspelt word, among names with a drug stem."""
        close = difflib.get_close_matches(text, _stem_names(self.stems), n=1, cutoff=_FUZZY_CUTOFF)
        return _drug_finder().drug_variant_to_canonical[close[0]][0] if close else None

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


@Language.factory(
    "casetable_drugs",
    default_config={"supplement_file": "drug_supplement.tsv", "stems_file": "drug_stems.txt",
                    "not_drugs_file": "not_drugs.txt", "supportive_file": "supportive_drugs.txt",
                    "fuzzy": True},
)
def make_drug_recognizer(nlp: Language, name: str, supplement_file: str, stems_file: str,
                         not_drugs_file: str, supportive_file: str, fuzzy: bool) -> DrugRecognizer:
    return DrugRecognizer(nlp, name, supplement_file, stems_file, not_drugs_file, supportive_file, fuzzy)
