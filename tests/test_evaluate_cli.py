"""casetable evaluate cannot mislead: a wrong --corpus is an error, the misses are printed."""

from __future__ import annotations

from conftest import CORPUS

from extractor.cli import main


def test_a_wrong_corpus_exits_1_naming_the_missing_files(tmp_path, capsys):
    assert main(["evaluate", "--gold", str(CORPUS / "gold.jsonl"), "--corpus", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "11 document(s)" in err and "reports/c01_mesenteric_imt_tfg_ros1_full.txt" in err
    assert err.count("\n") == 1  # one line, no traceback


def test_misses_are_listed_under_the_table(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"file": "reports/c09_thyroid_ccdc6_ret_abstract.txt", "patients": [{"fusion": "CCDC6::RET", '
                    '"primary_site": "thyroid", "age_years": 57, "sex": "male", "treatments": []}]}\n',
                    encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--corpus", str(CORPUS), "--misses", "3"]) == 0
    out = capsys.readouterr().out
    assert "age_years: 1 miss(es)" in out  # the report says 56
    assert "gold 57, predicted 56.0" in out
