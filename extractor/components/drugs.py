"""Drugs: generic, brand and code names resolved to the lowercase INN.

drug-named-entity-recognition's offline dictionary (~107k names) finds the names in the token list;
patterns/drug_supplement.tsv adds what it lacks (code names such as LOXO-101, newer INNs, common
misspellings); an unknown word with a drug stem ("crizonitib") is tried as a fuzzy match. Names
resolve through ``extractor.drugnames.normalize_drug`` (salt forms, USAN/BAN -> INN), the same
function the evaluation uses, so what is extracted and what is scored agree.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..drugnames import normalize_drug
from ..rules import read_lines, read_tsv
from .extensions import DRUGS, add_span, register_extensions

_MIN_LENGTH = 3


@lru_cache(maxsize=1)
def _drug_finder():
    """The dictionary loads in ~2 s: import it once per process, when the first drug is sought."""
    from drug_named_entity_recognition import drugs_finder

    return drugs_finder


class DrugRecognizer:
    def __init__(self, nlp: Language, name: str, supplement_file: str, stems_file: str,
                 not_drugs_file: str, supportive_file: str, fuzzy: bool):
        register_extensions()
        self.supplement = {row["name"]: row["inn"] for row in read_tsv(supplement_file)}
        self.stems = tuple(read_lines(stems_file))
        self.not_drugs = frozenset(read_lines(not_drugs_file))
        self.supportive = frozenset(read_lines(supportive_file))
        self.fuzzy = fuzzy

    def __call__(self, doc: Doc) -> Doc:
        finder = _drug_finder()
        tokens = [t.text for t in doc]
        found: dict[int, tuple[int, str, str]] = {}  # start token -> (end token, inn, how)
        for i, token in enumerate(doc):
            for width in (2, 1):
                key = " ".join(t.lower() for t in tokens[i:i + width])
                if len(tokens[i:i + width]) == width and key in self.supplement:
                    found.setdefault(i, (i + width, self.supplement[key], "supplement"))
        for data, start, end in finder.find_drugs(tokens, is_ignore_case=True):
            if not self._is_substance(data):
                continue
            if start not in found and doc[start:end].text.strip() and len(doc[start:end].text) >= _MIN_LENGTH:
                found[start] = (end, data.get("name") or data.get("matching_string", ""), "dictionary")
        if self.fuzzy:
            for i, token in enumerate(doc):
                text = token.lower_
                if i in found or not token.is_alpha or len(text) < 7 or not text.endswith(self.stems):
                    continue
                variant, _ = finder.get_fuzzy_match(text)
                if variant:
                    found[i] = (i + 1, finder.drug_variant_to_canonical[variant][0], "fuzzy")
        covered: set[int] = set()
        for start in sorted(found):
            end, name, how = found[start]
            if covered & set(range(start, end)):
                continue
            inn = normalize_drug(name)
            if not inn or inn in self.not_drugs or (how == "dictionary" and self._is_gene_like(doc[start:end].text)):
                continue
            covered.update(range(start, end))
            span = doc[start:end]
            add_span(doc, DRUGS, span.start_char, span.end_char, "DRUG", inn,
                     {"as_written": span.text, "match": how, "supportive": inn in self.supportive})
        return doc

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
