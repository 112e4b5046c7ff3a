"""casetable command line: ``casetable extract PATH... -o OUT``, ``casetable evaluate``, ``casetable schema``,
``casetable review`` and ``casetable export``.

A thin layer over ``extractor.api``, imported once the output is known to be writable (pandas and
the pipeline's modules take a while to import, a refusal should not). Exit status: 0 every file read, 1 some file failed, 2 bad usage
or an output that cannot be written, 130 interrupted (what was done is kept for ``--resume``).
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
from contextlib import nullcontext
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Callable

from . import __version__
from .jobs import usable_cores
from .output import OutputError, StreamedOutput, TableOptions, Written, check_format, check_writable, write_atomically
from .readers import Limits
from .readers.limits import PDF_ENGINES, STREAM_SHARE
from .review.commands import COMMANDS as REVIEW_COMMANDS
from .review.commands import add_commands as add_review_commands
from .review.commands import run as run_review
from .safe_text import terminal_text

if TYPE_CHECKING:
    from .records import Report
    from .summary import RunSummary
    from .tasks import BatchOptions, Task

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_LIMITS = Limits()
MAX_TIMEOUT = 7 * 24 * 3600.0  # a week: longer is no limit, and overflows the timers
MAX_MB = 2.0**20  # a terabyte


def _positive(kind: type[int] | type[float], most: float = math.inf) -> Callable[[str], int | float]:
    """An argparse type that accepts only finite numbers above zero and up to ``most``: "nan" would
    switch a limit off (every comparison with it is false), "inf" or "1e300" overflow the timers."""
    def parse(value: str) -> int | float:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if not math.isfinite(number) or number <= 0:
            raise argparse.ArgumentTypeError(f"must be a finite number greater than 0, not {value}")
        if number > most:
            raise argparse.ArgumentTypeError(f"must be at most {most:g}, not {value}")
        return number
    return parse


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line that names the fix, not the whole usage text."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_USAGE, terminal_text(f"{self.prog}: error: {message} (see {self.prog} --help)") + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="casetable",
        description="Turn oncology case reports (.txt, .pdf) into the 'Table 1' of a case review: "
                    "fusion, primary site, age, sex, and each drug with dose, duration and response, "
                    "every value with the sentence, offsets and page it came from.")
    parser.add_argument("--version", action="version", version=f"casetable {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    ex = commands.add_parser("extract", help="extract reports into a table or JSONL",
                             description="Read files (.pdf, .txt, PubMed Central .xml/.nxml, saved .html pages, "
                                         ".jsonl with one abstract or statement per line), or directories "
                                         "searched recursively for articles (all but .jsonl; hidden files and "
                                         "folders are skipped and counted). A file that cannot be read gives a "
                                         "record with 'errors' and the batch goes on. Records are written as "
                                         "each document is done; Ctrl-C keeps them for --resume.")
    ex.add_argument("paths", nargs="+", type=Path, help="files or directories")
    ex.add_argument("-o", "--output", type=Path,
                    help="output file; its extension picks the format: .jsonl (records with evidence), "
                         ".csv, .xlsx, .md (Table 1). Without it, a readable table goes to stdout.")
    ex.add_argument("--model", help="an installed spaCy/scispaCy model to add its NER (e.g. en_ner_bc5cdr_md)")
    ex.add_argument("-j", "--jobs", type=_positive(int),
                    help=f"worker processes (default: the machine's cores, {usable_cores()} here, or 1 for a "
                         "batch too small to gain from them); the output is the same, in input order, for any number")
    ex.add_argument("--timeout", type=_positive(float, MAX_TIMEOUT), default=DEFAULT_LIMITS.timeout,
                    help="seconds allowed for one document before it is given up with an error "
                         "(default %(default)g)")
    ex.add_argument("--max-pages", type=_positive(int), default=DEFAULT_LIMITS.max_pages,
                    help="PDF pages read per document; the rest is reported, not read (default %(default)s)")
    ex.add_argument("--max-chars", type=_positive(int), default=DEFAULT_LIMITS.max_chars,
                    help="characters of text read per document (default %(default)s)")
    ex.add_argument("--max-mb", type=_positive(float, MAX_MB), default=DEFAULT_LIMITS.max_bytes / 2**20,
                    help="largest input file in MB (default %(default)g)")
    ex.add_argument("--pdf-engine", choices=PDF_ENGINES, default=DEFAULT_LIMITS.pdf_engine,
                    help="what reads a PDF's characters (default %(default)s; pdfminer is slower)")
    ex.add_argument("--max-memory", type=_positive(float, MAX_MB), default=DEFAULT_LIMITS.max_memory / 2**20,
                    help="MB of memory one document may take in its worker process beyond the pipeline; a PDF "
                         f"stream may inflate to 1/{STREAM_SHARE} of it (default %(default)g)")
    ex.add_argument("--follow-symlinks", action="store_true",
                    help="read symlinks in input folders that point outside them (skipped and counted by default)")
    ex.add_argument("--text-field", default="text", help="JSONL inputs: the field holding the text (default: text)")
    ex.add_argument("--id-field", default="id",
                    help="JSONL inputs: the field naming each document, e.g. pmid (default: id)")
    ex.add_argument("--resume", action="store_true",
                    help="continue an interrupted run into the same -o: documents whose record is already there "
                         "(same path, same content) are kept, the rest are extracted")
    ex.add_argument("--summary", type=Path, metavar="FILE.json",
                    help="also write the end-of-run account (documents read, failed by kind, skipped, patients, "
                         "rows, time) as JSON, e.g. for a PRISMA flow diagram")
    ex.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                    help="run the documents on a Dask cluster (pip install \"casetable[dask]\") instead of "
                         "the local process pool; the inputs must be readable by its workers at the same paths")
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


class _Screen:
    """Without -o: the records are kept and printed as a table at the end (a few documents)."""

    def __init__(self, print_style: bool) -> None:
        self.reports: list[Report] = []
        self.print_style = print_style

    def done_before(self, tasks: list[Task]) -> set[int]:
        return set()

    def write(self, task: Task, report: Report) -> dict:
        self.reports.append(report)
        return report.to_dict()

    def finish(self) -> None:
        from .table import print_style, to_dataframe

        frame = to_dataframe(self.reports)
        frame = print_style(frame) if self.print_style else frame
        print(terminal_text(frame.dropna(axis=1, how="all").astype(object).fillna("").to_string(index=False)))

    def stop(self) -> None:
        return None


def _said(message: str) -> str:
    """A message of the command as it goes to the terminal: named, escape sequences of names made harmless."""
    return terminal_text(f"casetable: {message}")


def _say(message: str) -> None:
    print(_said(message), file=sys.stderr)


def _stream(tasks: list[Task], out: StreamedOutput | _Screen, args: argparse.Namespace, options: BatchOptions,
            summary: RunSummary) -> Written | None:
    """Extract the tasks into ``out`` in input order, carrying over what an earlier run did;
    on Ctrl-C (or SIGTERM), keep what is done and say how to go on."""
    from tqdm import tqdm

    from .api import extract_tasks

    done = out.done_before(tasks)
    pending = [task for index, task in enumerate(tasks) if index not in done]
    reports = extract_tasks(pending, options, jobs=args.jobs, model=args.model, scheduler=args.scheduler,
                            isolated=True)
    progress = tqdm(total=len(tasks), initial=len(done), desc="extracting", unit="doc", file=sys.stderr,
                    disable=args.quiet or len(tasks) < 2)
    try:
        for index, task in enumerate(tasks):
            if index in done:
                summary.add(out.carry(task), carried=True)
            else:
                report = next(reports)
                for error in report.errors:
                    tqdm.write(_said(str(error)), file=sys.stderr)
                summary.add(out.write(task, report))
            progress.update()
        progress.close()
        return out.finish()
    except KeyboardInterrupt:
        progress.close()
        reports.close()  # stops the workers
        summary.interrupted = True
        written = out.stop()
        where = f"records so far in {written.path}; rerun with --resume" if written else "nothing written (use -o)"
        _say(f"interrupted after {summary.documents}/{len(tasks)} documents; {where}")
        return written


def _extract(args: argparse.Namespace) -> int:
    started = monotonic()
    try:
        for path in (args.output, args.summary):
            if path is not None:
                check_writable(path)
        from .api import BatchOptions
        from .inputs import OF_ANOTHER_KIND, discover
        from .summary import RunSummary
        from .table import OUTPUT_SUFFIXES

        for path, suffixes in ((args.output, OUTPUT_SUFFIXES), (args.summary, (".json",))):
            if path is not None:
                check_format(path, suffixes)
    except OutputError as error:
        _say(str(error))
        return EXIT_USAGE
    if args.resume and args.output is None:
        _say("--resume continues an output file: give it with -o")
        return EXIT_USAGE
    if not any(p.exists() for p in args.paths):
        _say(f"no such file or directory: {', '.join(map(str, args.paths))}")
        return EXIT_USAGE
    limits = Limits(max_pages=args.max_pages, max_bytes=int(args.max_mb * 2**20), max_chars=args.max_chars,
                    timeout=args.timeout, pdf_engine=args.pdf_engine, max_memory=int(args.max_memory * 2**20))
    options = BatchOptions(limits, args.text_field, args.id_field, args.follow_symlinks)
    inputs = discover(args.paths, options)
    for entry in inputs.skipped:
        if entry.reason not in OF_ANOTHER_KIND:
            _say(f"skipped {entry.path}: {entry.reason}")
    if not inputs.tasks:
        _say("no articles (.pdf, .txt, .xml, .nxml, .html, .htm) found in the given paths")
        return EXIT_USAGE
    summary = RunSummary(found=len(inputs.tasks), skipped=inputs.skipped_by_reason())
    try:
        tables = TableOptions(print_style=args.print_style, evidence=args.evidence)
        with (StreamedOutput(args.output, resume=args.resume, tables=tables) if args.output
              else nullcontext(_Screen(args.print_style))) as out:
            written = _stream(inputs.tasks, out, args, options, summary)
    except OutputError as error:
        _say(str(error))
        return EXIT_USAGE
    except OSError as error:
        if args.output is None:
            raise
        _say(f"could not write {args.output} ({error.strerror or error}): the records done so far are "
             "kept beside it; free space or fix the folder, then rerun with --resume")
        return EXIT_USAGE
    summary.seconds = monotonic() - started
    for line in summary.lines():
        _say(line)
    if written is not None and written.complete:
        _say(f"-> {written.path}")
    if args.summary is not None:
        write_atomically(args.summary, summary.to_json())
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if summary.failed else EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from .api import extract, extract_text
    from .evaluation import evaluate, missing_documents
    from .pipeline import default_pipeline

    if not args.gold.is_file():
        _say(f"gold file not found: {args.gold}")
        return EXIT_USAGE
    missing = missing_documents(args.gold, args.corpus)
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        _say(f"{len(missing)} document(s) of {args.gold} are not under --corpus {args.corpus}: {shown}; "
             "give the folder the gold's 'file' paths are relative to")
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


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "extract" and args.output is not None:
        signal.signal(signal.SIGTERM, _interrupt)  # a batch system's stop: keep what is done, like Ctrl-C
    try:
        if args.command == "schema":
            from .contract import SCHEMA_FILE

            print(SCHEMA_FILE.read_text(encoding="utf-8"), end="")
            return EXIT_OK
        if args.command in REVIEW_COMMANDS:
            return run_review(args)
        return _extract(args) if args.command == "extract" else _evaluate(args)
    except ValueError as error:
        _say(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
