"""casetable's abbreviation detector finds the pairs scispaCy's finds, on every corpus document, in
time linear in the document, and leaves no reference cycle behind."""

from __future__ import annotations

import gc
import json
import random
from pathlib import Path

import pytest
import scispacy.abbreviation
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from extractor.abbreviations import AbbreviationDetector, abbreviation_pairs, bracket_pairs
from extractor.pipeline import default_pipeline
from extractor.readers import Limits, document_from_text, read

Pair = tuple[int, int, int, int]  # short start, short end, long start, long end


@pytest.fixture(scope="module")
def nlp() -> Language:
    return default_pipeline()


@pytest.fixture
def scispacy_pairs(nlp):
    """scispaCy's detector as a function of a text. It registers its own ``abbreviations`` and
    ``long_form`` attributes, so casetable's are registered again afterwards."""
    detector = scispacy.abbreviation.AbbreviationDetector(nlp)

    def pairs(text: str) -> list[Pair]:
        doc = detector(nlp.make_doc(text))
        return [(s.start, s.end, s._.long_form.start, s._.long_form.end) for s in doc._.abbreviations]

    yield pairs
    AbbreviationDetector(nlp)


def _ours(nlp: Language, text: str) -> list[Pair]:
    return [short + long for short, long in abbreviation_pairs(nlp.make_doc(text)).items()]


def _assert_same(ours: list[Pair], theirs: list[Pair]) -> None:
    """The same pairs, the long forms in the same order (scispaCy orders the short forms of one
    long form by their Spans' hashes, which change from run to run; casetable in text order)."""
    assert sorted(ours) == sorted(theirs)
    assert list(dict.fromkeys(p[2:] for p in ours)) == list(dict.fromkeys(p[2:] for p in theirs))


def _texts(paths: list[Path]) -> list[tuple[str, str]]:
    texts = []
    for path in paths:
        if path.suffix == ".jsonl":
            texts += [(f"{path}:{i}", document_from_text(json.loads(line)["text"]).text)
                      for i, line in enumerate(path.read_text(encoding="utf-8").splitlines())]
        else:
            texts.append((str(path), read(path, Limits()).text))
    return texts


def test_the_pairs_of_a_definition_and_its_later_uses(nlp):
    text = "A 9-year-old girl had an inflammatory myofibroblastic tumour (IMT). The IMT recurred."
    doc = nlp(text)
    assert [(s.text, s._.long_form.text) for s in doc._.abbreviations] == [
        ("IMT", "inflammatory myofibroblastic tumour"), ("IMT", "inflammatory myofibroblastic tumour")]
    assert doc[0:2]._.long_form is None


def test_same_pairs_as_scispacy_on_the_project_corpus(nlp, scispacy_pairs, corpus_dir):
    texts = _texts(sorted((corpus_dir / "reports").iterdir()))
    assert len(texts) == 11
    assert any(_ours(nlp, text) for _, text in texts)
    for source, text in texts:
        _assert_same(_ours(nlp, text), scispacy_pairs(text))


def test_same_pairs_as_scispacy_on_the_shared_corpus(nlp, scispacy_pairs, shared_corpus):
    paths = sorted(shared_corpus.rglob("*.txt")) + [shared_corpus / "civic_auto" / "statements.jsonl"]
    for source, text in _texts(paths):
        _assert_same(_ours(nlp, text), scispacy_pairs(text))


def test_same_bracket_pairs_and_order_as_the_matcher_on_random_bracket_runs(nlp):
    """spaCy's Matcher with scispaCy's pattern, kept to the pairs filter_matches keeps: same pairs,
    same order (the order decides which definition of a short form wins)."""
    matcher = Matcher(nlp.vocab)
    matcher.add("parenthesis", [[{"ORTH": "("}, {"OP": "+"}, {"ORTH": ")"}]])
    rng = random.Random(17)
    for _ in range(200):
        words = rng.choices(["(", ")", "IMT", "a"], weights=[3, 3, 1, 2], k=rng.randint(0, 40))
        doc = Doc(nlp.vocab, words=words)
        expected = [(start + 1, end - 1) for _, start, end in matcher(doc) if end - start - 2 <= 8]
        assert bracket_pairs(doc) == expected, words


def test_bracket_pairs_grow_with_the_length_of_the_document(nlp):
    """scispaCy's matcher gives every pair of "(" and a later ")", a number that grows with the
    square of the length; casetable only those at most 8 tokens apart: each further ten units of
    text add as many pairs as the ten before."""
    unit = "Tumour (T) and (see above) ( x ) "
    counts = [len(bracket_pairs(nlp.make_doc(unit * n))) for n in (10, 20, 100)]
    assert counts[2] - counts[1] == 8 * (counts[1] - counts[0]) > 0


def test_a_processed_document_is_freed_without_the_garbage_collector(nlp):
    text = "An inflammatory myofibroblastic tumour (IMT) with a TPM3-ALK fusion. The IMT grew."
    gc.collect()
    gc.disable()
    try:
        doc = nlp(text)
        assert doc._.abbreviations
        del doc
        assert gc.collect() == 0
    finally:
        gc.enable()
