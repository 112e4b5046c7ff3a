"""casetable command line: ``casetable extract PATH... -o OUT`` and ``casetable evaluate``.

A thin layer over ``extractor.api``. Exit status: 0 every file read, 1 some file failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable

from tqdm import tqdm

from . import __version__
from .api import BatchOptions, batch_tasks, extract, extract_tasks, extract_text, find_inputs
from .readers import Limits
from .readers.limits import PDF_ENGINES
from .table import OUTPUT_SUFFIXES, to_dataframe, write_jsonl, write_table

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_LIMITS = Limits()


def _cores() -> int:
    """Cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    """An argparse type that accepts only numbers above zero."""
    def parse(value: str) -> int | float:
        number = kind(value)
        if number <= 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0, not {value}")
        return number
    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casetable",
        description="Turn oncology case reports (.txt, .pdf) into the 'Table 1' of a case review: "
                    "fusion, primary site, age, sex, and each drug with dose, duration and response, "
                    "every value with the sentence, offsets and page it came from.")
    parser.add_argument("--version", action="version", version=f"casetable {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    ex = commands.add_parser("extract", help="extract reports into a table or JSONL",
                             description="Read files (.pdf, .txt, PubMed Central .xml/.nxml, saved .html pages, "
                                         ".jsonl with one abstract or statement per line), or directories "
                                         "searched recursively for articles (all but .jsonl). A file that cannot "
                                         "be read gives a record with 'errors' and the batch goes on.")
    ex.add_argument("paths", nargs="+", type=Path, help="files or directories")
    ex.add_argument("-o", "--output", type=Path,
                    help="output file; its extension picks the format: .jsonl (records with evidence), "
                         ".csv, .xlsx, .md (Table 1). Without it, a readable table goes to stdout.")
    ex.add_argument("--model", help="an installed spaCy/scispaCy model to add its NER (e.g. en_ner_bc5cdr_md)")
    ex.add_argument("-j", "--jobs", type=_positive(int), default=_cores(),
                    help="worker processes (default: the machine's cores, %(default)s here); the output is the "
                         "same, in input order, for any number")
    ex.add_argument("--timeout", type=_positive(float), default=DEFAULT_LIMITS.timeout,
                    help="seconds allowed for one document before it is given up with an error "
                         "(default %(default)g)")
    ex.add_argument("--max-pages", type=_positive(int), default=DEFAULT_LIMITS.max_pages,
                    help="PDF pages read per document; the rest is reported, not read (default %(default)s)")
    ex.add_argument("--max-chars", type=_positive(int), default=DEFAULT_LIMITS.max_chars,
                    help="characters of text read per document (default %(default)s)")
    ex.add_argument("--max-mb", type=_positive(float), default=DEFAULT_LIMITS.max_bytes / 2**20,
                    help="largest input file in MB (default %(default)g)")
    ex.add_argument("--pdf-engine", choices=PDF_ENGINES, default=DEFAULT_LIMITS.pdf_engine,
                    help="what reads a PDF's characters (default %(default)s; pdfminer is slower)")
    ex.add_argument("--text-field", default="text", help="JSONL inputs: the field holding the text (default: text)")
    ex.add_argument("--id-field", default="id",
                    help="JSONL inputs: the field naming each document, e.g. pmid (default: id)")
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    ev = commands.add_parser("evaluate", help="score extraction against a gold JSONL file",
                             description="Per-field precision, recall and F1 following the conventions of the "
                                         "evaluation corpus; a statements file (id, text) gives recall of fusions and drugs.")
    ev.add_argument("--gold", type=Path, required=True, help="gold JSONL (e.g. ../shared/corpus/gold/cases.jsonl)")
    ev.add_argument("--corpus", type=Path, required=True, help="directory the gold's 'file' paths are relative to")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.add_argument("--model", help="an installed spaCy/scispaCy model to add its NER")
    return parser


def _extract(args: argparse.Namespace) -> int:
    if args.output is not None and args.output.suffix.lower() not in OUTPUT_SUFFIXES:
        print(f"casetable: unknown output format {args.output.suffix!r}: use one of {', '.join(OUTPUT_SUFFIXES)}",
              file=sys.stderr)
        return EXIT_USAGE
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"casetable: no such file or directory: {', '.join(map(str, missing))}", file=sys.stderr)
        return EXIT_USAGE
    if not find_inputs(args.paths):
        print("casetable: no articles (.pdf, .txt, .xml, .nxml, .html, .htm) found in the given paths",
              file=sys.stderr)
        return EXIT_USAGE
    limits = Limits(max_pages=args.max_pages, max_bytes=int(args.max_mb * 2**20), max_chars=args.max_chars,
                    timeout=args.timeout, pdf_engine=args.pdf_engine)
    options = BatchOptions(limits, args.text_field, args.id_field)
    tasks = batch_tasks(args.paths, options)
    progress = tqdm(extract_tasks(tasks, options, jobs=args.jobs, model=args.model), total=len(tasks),
                    desc="extracting", unit="doc", file=sys.stderr, disable=args.quiet or len(tasks) < 2)
    reports = []
    for report in progress:
        for error in report.errors:
            tqdm.write(f"casetable: {error}", file=sys.stderr)
        reports.append(report)
    if args.output is None:
        frame = to_dataframe(reports)
        with_rows = frame.dropna(axis=1, how="all")
        print(with_rows.fillna("").to_string(index=False))
    elif args.output.suffix.lower() == ".jsonl":
        write_jsonl(reports, args.output)
    else:
        write_table(to_dataframe(reports), args.output)
    failed = sum(1 for r in reports if r.errors)
    if args.output is not None:
        print(f"casetable: {len(reports)} document(s), {failed} failed, "
              f"{sum(len(r.patients) for r in reports)} patient(s) -> {args.output}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate
    from .pipeline import default_pipeline

    if not args.gold.is_file():
        print(f"casetable: gold file not found: {args.gold}", file=sys.stderr)
        return EXIT_USAGE
    nlp = default_pipeline(args.model)
    scores = evaluate(args.gold, args.corpus,
                      extract_path=lambda path: extract(path, nlp).to_dict(),
                      extract_text=lambda text, source: extract_text(text, source, nlp).to_dict())
    if args.json:
        print(json.dumps(scores.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(scores.format_table())
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _extract(args) if args.command == "extract" else _evaluate(args)
    except ValueError as error:
        print(f"casetable: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
