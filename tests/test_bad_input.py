"""Bad input: every kind gets an error record that says what to do, and the batch goes on.

Empty, binary and misnamed files; corrupt, truncated, password-protected and image-only PDFs;
files past the page, size and time limits; and the CLI's exit codes around them.
"""

from __future__ import annotations

import json
import random
import re

import pytest
from pdfgen import make_corrupt_pdf, make_encrypted_pdf, make_no_text_pdf, make_pdf

from extractor import extract, extract_many
from extractor.cli import main
from extractor.pipeline import default_pipeline
from extractor.readers import Limits

CASE = ("Case presentation\n\nA 63-year-old woman with a lung adenocarcinoma harbouring an EZR::ROS1 fusion "
        "started crizotinib 250 mg twice daily and had a partial response after two months.")


@pytest.fixture(scope="module")
def nlp():
    return default_pipeline()


def only_error(report) -> str:
    assert not report.patients, "a bad file gives no patients"
    assert len(report.errors) == 1
    return report.errors[0]


def write(path, data: bytes | str):
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("name, data, expected", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n\t \n", "empty"),
    ("empty.pdf", b"", "empty file"),
    ("empty.html", b"", "empty file"),
    ("binary.txt", bytes(range(256)) * 20, "binary file"),
    ("report.txt", b"PK\x03\x04" + bytes(200), "Word/OpenDocument"),
    ("scan.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "run OCR"),
    ("login.pdf", "<!DOCTYPE html><html><body><p>Please sign in to read this article.</p></body></html>",
     "named .pdf but is an HTML page"),
    ("notes.pdf", "A 40-year-old man received crizotinib.", "named .pdf but is not a PDF"),
    ("article.xml", "A plain sentence, not markup.", "not XML"),
    ("other.xml", "<?xml version='1.0'?><config><item>value</item></config>", "not a JATS article"),
    ("front.nxml", "<article><front><article-meta><title-group><article-title>Only a title</article-title>"
                   "</title-group></article-meta></front></article>", "no abstract or body text"),
    ("menu.html", "<html><body><nav><a href='/'>Home</a></nav><footer>Contact</footer></body></html>",
     "no article text"),
])
def test_unreadable_files_give_a_clear_error(tmp_path, nlp, name, data, expected):
    path = write(tmp_path / name, data)
    assert expected in only_error(extract(path, nlp))


def test_missing_file_and_directory(tmp_path, nlp):
    assert "no such file" in only_error(extract(tmp_path / "absent.pdf", nlp))
    assert "no such file" in only_error(extract(str(tmp_path / "absent.pdf"), nlp)), "a str path too"
    assert "is a directory" in only_error(extract(tmp_path, nlp))


def test_truncated_pdf(tmp_path, nlp):
    error = only_error(extract(make_corrupt_pdf(tmp_path / "cut.pdf"), nlp))
    assert "truncated PDF" in error and "download it again" in error


def test_corrupt_pdf_body(tmp_path, nlp):
    good = make_pdf(CASE, tmp_path / "good.pdf", author="").read_bytes()
    # Every stream (page content, fonts) overwritten with junk of the same length: the index of
    # objects still fits, the objects do not.
    junk = re.sub(rb"stream\r?\n(.*?)endstream",
                  lambda m: b"stream\n" + bytes((7 * i + 3) % 256 for i in range(len(m.group(1)) - 1)) + b"\nendstream",
                  good, flags=re.S)
    assert junk != good and len(junk) == len(good)
    damaged = write(tmp_path / "damaged.pdf", junk)
    assert "corrupt PDF" in only_error(extract(damaged, nlp))
    noise = bytes(random.Random(6).randrange(256) for _ in range(4000))
    garbage = write(tmp_path / "garbage.pdf", b"%PDF-1.4\n" + noise + b"\n%%EOF\n")
    assert "corrupt PDF" in only_error(extract(garbage, nlp))


def test_password_protected_pdf(tmp_path, nlp):
    error = only_error(extract(make_encrypted_pdf(CASE, tmp_path / "locked.pdf", "s3cret"), nlp))
    assert "password-protected" in error and "qpdf --decrypt" in error


def test_pdf_without_text_layer_suggests_ocr(tmp_path, nlp):
    error = only_error(extract(make_no_text_pdf(tmp_path / "scan.pdf"), nlp))
    assert "no text layer" in error and "ocrmypdf" in error


def test_page_limit_reads_the_first_pages_and_says_so(tmp_path, nlp):
    filler = " ".join(["The follow-up visits were uneventful and the imaging was unchanged."] * 40)
    text = CASE + "".join(f"\n\nFollow-up {i}\n\n{filler}" for i in range(8))
    pdf = make_pdf(text, tmp_path / "long.pdf", author="")
    report = extract(pdf, nlp, limits=Limits(max_pages=1))
    assert report.patients and report.patients[0].fusion == "EZR::ROS1"
    assert len(report.errors) == 1 and "only the first 1 pages were read" in report.errors[0]
    assert "--max-pages" in report.errors[0]
    assert not extract(pdf, nlp).errors


def test_size_and_character_limits(tmp_path, nlp):
    path = write(tmp_path / "case.txt", CASE + "\n\n" + "Nothing else happened. " * 2000)
    assert "more than the limit" in only_error(extract(path, nlp, limits=Limits(max_bytes=1000)))
    report = extract(path, nlp, limits=Limits(max_chars=len(CASE) + 10))
    assert report.patients[0].fusion == "EZR::ROS1"
    assert len(report.errors) == 1 and "characters were read" in report.errors[0]


def test_time_limit_stops_a_document(tmp_path, nlp):
    text = CASE + "".join(f"\n\nVisit {i}\n\n" + "The patient was well and the scans were stable. " * 60
                          for i in range(40))
    pdf = make_pdf(text, tmp_path / "slow.pdf", author="")
    error = only_error(extract(pdf, nlp, limits=Limits(timeout=0.05)))
    assert "time limit" in error and "--timeout" in error
    assert not extract(pdf, nlp).errors, "the same file reads within the default limit"


def test_deeply_nested_markup_does_not_crash(tmp_path, nlp):
    html = write(tmp_path / "deep.html", "<div>" * 50000 + "A 40-year-old man." + "</div>" * 50000)
    xml = write(tmp_path / "deep.xml", "<article><body>" + "<sec>" * 50000 + "<p>x</p>" + "</sec>" * 50000
                + "</body></article>")
    for path in (html, xml):
        report = extract(path, nlp)
        assert all("please report" not in e for e in report.errors), report.errors


def test_batch_goes_on_past_bad_files(tmp_path, nlp):
    good = write(tmp_path / "a_good.txt", CASE)
    bad = [write(tmp_path / "b_empty.txt", b""), make_corrupt_pdf(tmp_path / "c_cut.pdf"),
           make_no_text_pdf(tmp_path / "d_scan.pdf"), write(tmp_path / "e_binary.txt", bytes(range(256)))]
    also_good = make_pdf(CASE, tmp_path / "f_good.pdf", author="")
    reports = list(extract_many([tmp_path], nlp))
    assert [r.source for r in reports] == [str(p) for p in [good, *bad, also_good]]
    assert [bool(r.errors) for r in reports] == [False, True, True, True, True, False]
    assert reports[0].patients[0].fusion == reports[-1].patients[0].fusion == "EZR::ROS1"


def test_cli_exit_codes_and_output(tmp_path, capsys):
    good = write(tmp_path / "good.txt", CASE)
    bad = write(tmp_path / "bad.pdf", b"%PDF-1.4\nnot really")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(good), "-o", str(out), "--jobs", "1", "-q"]) == 0
    assert main(["extract", str(good), str(bad), "-o", str(out), "--jobs", "1"]) == 1
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["source"] for line in lines] == [str(good), str(bad)]
    assert lines[1]["errors"] and not lines[0]["errors"]
    stderr = capsys.readouterr().err
    assert "truncated PDF" in stderr and "1 failed" in stderr and "extracting" in stderr
    assert main(["extract", str(good), "-o", str(tmp_path / "out.docx")]) == 2
    assert main(["extract", str(tmp_path / "absent.txt")]) == 2


def test_cli_rejects_bad_limits(capsys):
    for flag in ("--jobs", "--timeout", "--max-pages"):
        with pytest.raises(SystemExit) as exit_info:
            main(["extract", "x.txt", flag, "0"])
        assert exit_info.value.code == 2
    assert "must be a finite number greater than 0" in capsys.readouterr().err


@pytest.mark.parametrize("flag, value", [("--timeout", "nan"), ("--timeout", "inf"), ("--timeout", "1e300"),
                                         ("--max-mb", "inf"), ("--max-memory", "nan"), ("--timeout", "-1"),
                                         ("--jobs", "two")])
def test_cli_refuses_limits_that_are_no_limit_in_one_line(capsys, flag, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", "x.txt", flag, value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and flag in err and value in err
