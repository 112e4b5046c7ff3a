"""casetable command line: ``casetable extract PATH... -o OUT`` and ``casetable evaluate``.

A thin layer over ``extractor.api``. Exit status: 0 every file read, 1 some file failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

from tqdm import tqdm

from . import __version__
from .api import BatchOptions, batch_tasks, extract, extract_tasks, extract_text, find_inputs
from .jobs import usable_cores
from .readers import Limits
from .review.commands import COMMANDS as REVIEW_COMMANDS
from .review.commands import add_commands as add_review_commands
from .review.commands import run as run_review
from .table import OUTPUT_SUFFIXES, print_style, to_dataframe, write_jsonl, write_table

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_LIMITS = Limits()


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
    ex.add_argument("-j", "--jobs", type=_positive(int),
                    help=f"worker processes (default: the machine's cores, {usable_cores()} here, or 1 for a "
                         "batch too small to gain from them); the output is the same, in input order, for any number")
    ex.add_argument("--timeout", type=_positive(float), default=DEFAULT_LIMITS.timeout,
                    help="seconds allowed for one document before it is given up with an error "
                         "(default %(default)g)")
    ex.add_argument("--max-pages", type=_positive(int), default=DEFAULT_LIMITS.max_pages,
                    help="PDF pages read per document; the rest is reported, not read (default %(default)s)")
    ex.add_argument("--max-chars", type=_positive(int), default=DEFAULT_LIMITS.max_chars,
                    help="characters of text read per document (default %(default)s)")
    ex.add_argument("--max-mb", type=_positive(float), default=DEFAULT_LIMITS.max_bytes / 2**20,
                    help="largest input file in MB (default %(default)g)")
    ex.add_argument("--text-field", default="text", help="JSONL inputs: the field holding the text (default: text)")
    ex.add_argument("--id-field", default="id",
                    help="JSONL inputs: the field naming each document, e.g. pmid (default: id)")
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    ex.add_argument("--print-style", action="store_true",
                    help="Markdown and screen output as a review prints Table 1: report and patient columns only on "
                         "a patient's first row (the default repeats them on every row, for sorting and filtering)")
    ex.add_argument("--evidence", action="store_true",
                    help="tables: each value's sentence, start, end and page in columns beside it "
                         "(.xlsx always gets an Evidence sheet, one row per value)")

    ev = commands.add_parser("evaluate", help="score extraction against a gold JSONL file",
                             description="Per-field precision, recall and F1 following the conventions of the "
                                         "evaluation corpus; a statements file (id, text) gives recall of fusions and drugs.")
    ev.add_argument("--gold", type=Path, required=True, help="gold JSONL (e.g. corpus/gold.jsonl)")
    ev.add_argument("--corpus", type=Path, required=True, help="directory the gold's 'file' paths are relative to")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON, with every miss")
    ev.add_argument("--misses", type=int, default=5, metavar="N",
                    help="misses listed per field under the table (default %(default)s; 0 for none)")
    ev.add_argument("--model", help="an installed spaCy/scispaCy model to add its NER")
    commands.add_parser("schema", help="print the JSON Schema of the JSONL records",
                        description="The output contract: the JSON Schema every JSONL record follows.")
    add_review_commands(commands)
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
                    timeout=args.timeout)
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
        frame = print_style(frame) if args.print_style else frame
        print(frame.dropna(axis=1, how="all").astype(object).fillna("").to_string(index=False))
    elif args.output.suffix.lower() == ".jsonl":
        write_jsonl(reports, args.output)
    else:
        frame = to_dataframe(reports)
        if args.print_style and args.output.suffix.lower() == ".md":
            frame = print_style(frame)
        from .evidence_table import evidence_frame, with_evidence_columns  # pandas, only for tables

        write_table(with_evidence_columns(frame, reports) if args.evidence else frame, args.output,
                    more_sheets={"Evidence": evidence_frame(reports)})
    failed = sum(1 for r in reports if r.errors)
    if args.output is not None:
        print(f"casetable: {len(reports)} document(s), {failed} failed, "
              f"{sum(len(r.patients) for r in reports)} patient(s) -> {args.output}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from .evaluation import evaluate, missing_documents
    from .pipeline import default_pipeline

    if not args.gold.is_file():
        print(f"casetable: gold file not found: {args.gold}", file=sys.stderr)
        return EXIT_USAGE
    missing = missing_documents(args.gold, args.corpus)
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        print(f"casetable: {len(missing)} document(s) of {args.gold} are not under --corpus {args.corpus}: {shown}; "
              "give the folder the gold's 'file' paths are relative to", file=sys.stderr)
        return EXIT_FAILED
    nlp = default_pipeline(args.model)
    scores = evaluate(args.gold, args.corpus,
                      extract_path=lambda path: extract(path, nlp).to_dict(),
                      extract_text=lambda text, source: extract_text(text, source, nlp).to_dict())
    if args.json:
        print(json.dumps(scores.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(scores.format_table())
        if args.misses:
            print(scores.format_misses(args.misses))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "schema":
            from .contract import SCHEMA_FILE

            print(SCHEMA_FILE.read_text(encoding="utf-8"), end="")
            return EXIT_OK
        if args.command in REVIEW_COMMANDS:
            return run_review(args)
        return _extract(args) if args.command == "extract" else _evaluate(args)
    except ValueError as error:
        print(f"casetable: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
