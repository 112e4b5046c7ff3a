"""``casetable review`` and ``casetable export``: the command-line faces of the review."""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import sys
from pathlib import Path

EXIT_OK, EXIT_USAGE = 0, 2
COMMANDS = ("review", "export")
REVIEW_DESCRIPTION = (
    "Serve a page per document: the Table 1 values beside the text they came from. Accept, correct or mark "
    "each value 'not in paper'; add missing patients and lines. Decisions are kept in SQLite (or PostgreSQL) "
    "by source, patient, line and field, so they survive a restart and a re-extraction.")
EXPORT_DESCRIPTION = (
    "One row per patient and treatment line: corrected and added values replace the extracted ones, 'not in "
    "paper' empties a value, and every value keeps its evidence, page and decision. A YAML mapping selects, "
    "orders and renames columns and maps values for a registry: "
    "columns: [Source, {column: Sex, name: SEX, values: {male: M, female: F}}]")


def default_db(records: Path) -> Path:
    """Decisions beside the records they are about: records.jsonl -> records.review.sqlite."""
    return records.with_suffix(".review.sqlite")


def add_commands(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser("review", help="review extracted values beside their evidence in a local web app",
                                 description=REVIEW_DESCRIPTION)
    review.add_argument("records", type=Path, help="records written by 'casetable extract ... -o records.jsonl'")
    review.add_argument("--db", help="SQLite file or postgresql:// URL for the decisions "
                                     "(default: RECORDS with the suffix .review.sqlite)")
    review.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default %(default)s: this machine only)")
    review.add_argument("--port", type=int, default=8765, help="port (default %(default)s; 0 picks a free one)")
    review.add_argument("--curator", default=None, help="your name on the decisions (default: the login name); "
                                                        "each curator can also set it on the page")
    review.add_argument("--sources", type=Path,
                        help="directory the records' relative source paths start from (default: the working "
                             "directory, then the records' directory)")
    review.add_argument("--text-field", default="text",
                        help="JSONL inputs: the field that held the text at extraction (default: text)")
    review.add_argument("--id-field", default="id",
                        help="JSONL inputs: the field that named each document at extraction (default: id)")

    export = commands.add_parser("export", help="write the reviewed table, curators' values winning",
                                 description=EXPORT_DESCRIPTION)
    export.add_argument("records", type=Path, help="the records file that was reviewed")
    export.add_argument("--db", required=True, help="the decisions: SQLite file or postgresql:// URL")
    export.add_argument("--mapping", type=Path, help="YAML mapping to a registry's import template")
    export.add_argument("-o", "--output", type=Path, required=True, help="output file: .csv or .xlsx")


def _usage(message: str) -> int:
    print(f"casetable: {message}", file=sys.stderr)
    return EXIT_USAGE


def _review(args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

    from .app import ReviewConfig, create_app
    from .batch import TextFields
    from .store import Store

    loopback = args.host == "localhost" or _is_loopback(args.host)
    if not loopback:
        print(f"casetable: serving on {args.host}: anyone who can reach this address can read the papers "
              "and change decisions", file=sys.stderr)
    store = Store(args.db or default_db(args.records))
    curator = args.curator or getpass.getuser()
    app = create_app(ReviewConfig(args.records, store, curator, args.sources, loopback,
                                  TextFields(args.text_field, args.id_field)))
    server = make_server(args.host, args.port, app, threaded=True)  # a port in use: werkzeug says so, exit 1
    print(f"casetable review: http://{args.host}:{server.server_port}/ ({args.records}, decisions in "
          f"{store.location}); Ctrl-C stops", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return EXIT_OK


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _export(args: argparse.Namespace) -> int:
    from .batch import load_reports
    from .export import EXPORT_SUFFIXES, reviewed_frame, write_export
    from .mapping import load_mapping
    from .store import Store

    if args.output.suffix.lower() not in EXPORT_SUFFIXES:
        return _usage(f"unknown export format {args.output.suffix!r}: use {' or '.join(EXPORT_SUFFIXES)}")
    if not args.db.startswith(("postgresql://", "postgres://")) and not Path(args.db).is_file():
        return _usage(f"no decisions database at {args.db}: give the --db the review used")
    mapping = load_mapping(args.mapping) if args.mapping else None
    frame = reviewed_frame(load_reports(args.records), Store(args.db).decisions())
    write_export(frame, args.output, mapping)
    print(f"casetable: {len(frame)} row(s) -> {args.output}", file=sys.stderr)
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    if not args.records.is_file():
        return _usage(f"records file not found: {args.records}: write one with "
                      "'casetable extract PAPERS -o records.jsonl'")
    return _review(args) if args.command == "review" else _export(args)
