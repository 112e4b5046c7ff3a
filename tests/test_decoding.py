"""Honest decoding: every encoding a case report arrives in gives its text, or an error record.

The fusion of the test line is written with an en dash (EML4–ALK), the character that mojibake
breaks first: read as the wrong encoding it becomes "EML4â€“ALK" and the fusion is lost.
"""

from __future__ import annotations

import random

import pytest

from extractor import extract
from extractor.readers.decoding import declared_charset, decode

CASE_LINE = "A 40-year-old man with an EML4–ALK fusion received crizotinib 250 mg twice daily."
HTML_CASE = f"<html><head><title>Case</title></head><body><article><h1>Case</h1><p>{CASE_LINE}</p></article></body></html>"


@pytest.mark.parametrize("name, data", [
    ("cp1252.txt", (CASE_LINE + " The patient’s response… Lourenço").encode("cp1252")),
    ("utf8_with_a_cp1252_quote.txt", CASE_LINE.encode("utf-8") + b" The patient\x92s response."),
    ("utf16_with_bom.txt", CASE_LINE.encode("utf-16")),
    ("no_charset_utf8.html", HTML_CASE.encode("utf-8")),
    ("meta_charset_cp1252.html", HTML_CASE.replace("<head>", '<head><meta charset="windows-1252">').encode("cp1252")),
    ("meta_latin1_but_utf8.html", HTML_CASE.replace("<head>", '<head><meta charset="iso-8859-1">').encode("utf-8")),
])
def test_text_in_any_encoding_gives_the_fusion_written_with_an_en_dash(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    report = extract(path)
    assert not report.errors
    assert report.patients[0].fusion == "EML4::ALK"


def test_a_cp1252_quote_in_utf8_leaves_the_utf8_intact():
    decoded = decode(("Lourenço – ".encode("utf-8") + b"patient\x92s"), "x.txt")
    assert decoded.text == "Lourenço – patient’s" and decoded.how == "UTF-8 with 1 Windows-1252 byte(s)"


@pytest.mark.parametrize("data", [bytes(range(0x80, 0x100)) * 4, bytes(random.Random(3).randrange(0x80, 0x100)
                                                                          for _ in range(3000))])
def test_bytes_no_encoding_reads_give_an_error_not_garbage(tmp_path, data):
    path = tmp_path / "even.txt"
    path.write_bytes(data)
    report = extract(path)
    assert not report.patients and "encoding cannot be told with confidence" in report.errors[0]
    assert "save it as UTF-8" in report.errors[0]


def test_declared_charset_is_read_from_the_meta_tag():
    assert declared_charset(b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">') \
        == "shift_jis"
    assert declared_charset(b"<meta charset='no-such-codec'>") is None
