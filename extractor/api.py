"""The Python API; the CLI is a thin layer over it, so both give the same records.

``extract`` never raises for a bad input file: it returns a Report whose ``errors`` says what is
wrong and what to do, so a batch goes on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd
from spacy.language import Language

from .assemble import assemble
from .document import Document
from .pipeline import annotate, default_pipeline
from .readers import SUPPORTED_SUFFIXES, ReadError, document_from_text, read
from .records import Report
from .table import to_dataframe

PathOrText = str | os.PathLike


def extract_document(document: Document, nlp: Language | None = None) -> Report:
    return assemble(document, annotate(document, nlp or default_pipeline()))


def extract_text(text: str, source: str = "<text>", nlp: Language | None = None) -> Report:
    """Extract from text in memory (an abstract, a statement); ``source`` names it in the output."""
    try:
        document = document_from_text(text, source=source)
    except ReadError as error:
        return Report(source=source, errors=[str(error)])
    return extract_document(document, nlp)


def extract(path_or_text: PathOrText, nlp: Language | None = None) -> Report:
    """Extract one report from a file path (str or Path) or, failing that, from the string as text.

    A str is a path when a file of that name exists; pass a Path to insist on a file, or use
    ``extract_text`` to insist on text.
    """
    if isinstance(path_or_text, str) and ("\n" in path_or_text or not os.path.exists(path_or_text)):
        return extract_text(path_or_text, nlp=nlp)
    path = Path(path_or_text)
    try:
        document = read(path)
    except ReadError as error:
        return Report(source=str(path), errors=[str(error)])
    except Exception as error:  # noqa: BLE001 - one bad file must never stop a batch
        return Report(source=str(path), errors=[f"{path}: could not be read ({type(error).__name__}: {error}); "
                                                "please report this file to the casetable issue tracker"])
    try:
        return extract_document(document, nlp)
    except Exception as error:  # noqa: BLE001
        return Report(source=str(path), errors=[f"{path}: extraction failed ({type(error).__name__}: {error}); "
                                                "please report this file to the casetable issue tracker"])


def find_inputs(paths: Iterable[PathOrText]) -> list[Path]:
    """Files as given, and .txt/.pdf files found recursively in directories, in a stable order."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def extract_many(paths: Iterable[PathOrText], nlp: Language | None = None) -> Iterator[Report]:
    for path in find_inputs(paths):
        yield extract(path, nlp)


def extract_table(paths: Iterable[PathOrText] | PathOrText, nlp: Language | None = None) -> pd.DataFrame:
    """Table 1 of every report under ``paths``: one row per patient and treatment line."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return to_dataframe(list(extract_many(paths, nlp)))
