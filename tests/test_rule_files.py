"""Rule files are checked when loaded: a misspelt key, direction or category names the file and line."""

from __future__ import annotations

import pytest

from extractor.fields.context import CUE_ROW, TERMINATION_ROW
from extractor.fields.sites import SITE_CONTEXT_ROW
from extractor.rules import RuleFileError, read_jsonl, read_tsv


def test_a_misspelt_cue_direction_is_an_error_naming_file_and_line():
    row = {"literal": "was not given", "category": "NEGATED", "direction": "forwards"}
    with pytest.raises(RuleFileError, match=r"patterns/cues.jsonl, line 7: direction 'forwards' is not one of "
                                            r"backward, bidirectional, forward"):
        CUE_ROW.check(row, "patterns/cues.jsonl, line 7")


def test_an_unknown_key_and_an_unknown_category_are_errors():
    with pytest.raises(RuleFileError, match="unknown key 'directon'"):
        CUE_ROW.check({"literal": "x", "category": "NEGATED", "directon": "forward"}, "here")
    with pytest.raises(RuleFileError, match="category 'NEGATIVE' is not one of"):
        CUE_ROW.check({"literal": "x", "category": "NEGATIVE", "direction": "forward"}, "here")
    with pytest.raises(RuleFileError, match="'literal' is missing"):
        CUE_ROW.check({"category": "NEGATED", "direction": "forward"}, "here")


def test_each_word_of_a_multi_word_cell_is_checked():
    TERMINATION_ROW.check({"word": "but", "categories": "NEGATED HYPOTHETICAL"}, "here")
    with pytest.raises(RuleFileError, match="categories 'HYPOTHETICALL'"):
        TERMINATION_ROW.check({"word": "but", "categories": "NEGATED HYPOTHETICALL"}, "here")
    with pytest.raises(RuleFileError, match="category 'orgin'"):
        SITE_CONTEXT_ROW.check({"word": "arising", "category": "orgin", "window": "4"}, "here")


def test_the_shipped_rule_files_pass_their_checks():
    assert len(read_jsonl("context_cues.jsonl", CUE_ROW)) > 100
    assert read_tsv("context_terminations.txt", TERMINATION_ROW)
    assert read_tsv("site_context.tsv", SITE_CONTEXT_ROW)


def test_read_jsonl_names_the_line_of_a_bad_row(tmp_path, monkeypatch):
    (tmp_path / "cues.jsonl").write_text(
        '// a comment line\n{"literal": "not", "category": "NEGATED", "direction": "forward"}\n\n'
        '{"literal": "no", "category": "NEGATED", "direction": "both"}\n', encoding="utf-8")
    monkeypatch.setattr("extractor.rules.patterns_dir", lambda: tmp_path)
    with pytest.raises(RuleFileError, match=r"patterns/cues.jsonl, line 4: direction 'both'"):
        read_jsonl("cues.jsonl", CUE_ROW)


def test_read_tsv_names_the_line_of_a_row_with_too_many_cells(tmp_path, monkeypatch):
    (tmp_path / "sites.tsv").write_text("# header next\nword\tcategory\twindow\nmass\ttumour\t3\textra\n",
                                        encoding="utf-8")
    monkeypatch.setattr("extractor.rules.patterns_dir", lambda: tmp_path)
    with pytest.raises(RuleFileError, match=r"patterns/sites.tsv, line 3: 4 cells for the 3 columns"):
        read_tsv("sites.tsv", SITE_CONTEXT_ROW)
