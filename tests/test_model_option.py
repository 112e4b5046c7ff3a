"""The optional user-installed NER model (``--model``): loading path tested with a tiny model
trained and saved here, since scispaCy's trained models cannot be installed in CI."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from extractor.api import extract_text
from extractor.cli import main
from extractor.pipeline import build_pipeline

TRAIN = [
    ("She was given crizotinib daily.", [(14, 24, "CHEMICAL")]),
    ("He received larotrectinib for two years.", [(12, 25, "CHEMICAL")]),
    ("Entrectinib was started in May.", [(0, 11, "CHEMICAL")]),
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    random.seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner").add_label("CHEMICAL")
    examples = [Example.from_dict(nlp.make_doc(text), {"entities": ents}) for text, ents in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(10):
        nlp.update(examples, sgd=optimizer)
    path = tmp_path_factory.mktemp("models") / "tiny_ner"
    nlp.to_disk(path)
    return path


def test_pipeline_loads_a_saved_model_and_keeps_casetable_components(tiny_model):
    nlp = build_pipeline(model=str(tiny_model))
    assert nlp.pipe_names.index("ner") < nlp.pipe_names.index("entity_ruler")
    assert "casetable_drugs" in nlp.pipe_names and "CHEMICAL" in nlp.get_pipe("ner").labels
    report = extract_text("A 40-year-old woman received crizotinib 250 mg twice daily with partial response.",
                          nlp=nlp)
    assert [t.drug for t in report.patients[0].treatments] == ["crizotinib"]


def test_missing_model_is_a_usage_error(capsys):
    text = Path(__file__).resolve().parent.parent / "corpus" / "reports" / "c09_thyroid_ccdc6_ret_abstract.txt"
    assert main(["extract", str(text), "--model", "no_such_model_xyz"]) == 2
    assert "not installed" in capsys.readouterr().err
