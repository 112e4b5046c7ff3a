"""The review web app (Flask, server-rendered): one page per document, values beside their evidence.

Requests address documents by their place in the batch, never by a path, so the only files read are
the sources the records name. Templates escape every value (Jinja autoescaping). Decisions are
posted with a per-server token, so another site open in the curator's browser cannot post them.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for

from ..evidence_table import FIELD_COLUMNS, PATIENT_FIELDS, PATIENT_LINE, TREATMENT_FIELDS
from ..records import Evidence, Report
from . import inputs
from .batch import Batch, TextFields
from .reviewed import Cell, PatientCells, Progress, next_line, next_patient, nothing_found_key, reviewed_patients
from .store import Decision, Key, Store

_PAGE = re.compile(r"/(doc/\d+)?")
ACTIONS = {"accept": "accepted", "correct": "corrected", "absent": "absent"}
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"]
# Scripts and styles only from the app itself: a value that slipped past escaping could not run.
SECURITY_HEADERS = {"Content-Security-Policy": "default-src 'self'; object-src 'none'; frame-ancestors 'none'",
                    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


@dataclass(frozen=True)
class ReviewConfig:
    records: Path
    store: Store
    curator: str
    sources_root: Path | None = None
    loopback: bool = True
    fields: TextFields = TextFields()


def utf16_offset(text: str, offset: int) -> int:
    """A character offset as JavaScript counts it (UTF-16 units), so the page highlights the same span."""
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)


@dataclass(frozen=True)
class Span:
    """Where the page marks a value's evidence, in UTF-16 units: the words, and the sentence around them."""

    sentence_start: int
    start: int
    end: int
    sentence_end: int

    @classmethod
    def of(cls, text: str, evidence: Evidence) -> Span:
        """The sentence is found where it holds the words; if the text no longer has it, the words alone."""
        found = text.find(evidence.text, max(0, evidence.end - len(evidence.text)))
        holds = 0 <= found <= evidence.start and evidence.end <= found + len(evidence.text)
        first, last = (found, found + len(evidence.text)) if holds else (evidence.start, evidence.end)
        return cls(*(utf16_offset(text, offset) for offset in (first, evidence.start, evidence.end, last)))


def create_app(config: ReviewConfig) -> Flask:
    app = Flask(__name__)
    batch = Batch(config.records, config.sources_root, config.fields)
    store = config.store
    token = secrets.token_urlsafe(24)
    if config.loopback:
        app.config["TRUSTED_HOSTS"] = LOOPBACK_HOSTS  # a rebound DNS name cannot read the pages

    def document(index: int) -> tuple[Report, list[PatientCells], dict[Key, Decision]]:
        """The report at ``index``, its values joined with the decisions, and the decisions."""
        if not 0 <= index < len(batch):
            abort(404, f"no document {index}: the batch has {len(batch)}")
        report = batch.reports[index]
        decisions = store.decisions(report.source)
        return report, reviewed_patients(report.source, batch.values(index), decisions), decisions

    def progress(source: str, patients: list[PatientCells], decisions: dict[Key, Decision]) -> Progress:
        return Progress.of(patients, nothing_found_key(source) in decisions)

    def curator() -> str:
        return request.cookies.get("curator") or config.curator

    def check_token() -> None:
        if not secrets.compare_digest(request.form.get("token", ""), token):
            abort(403, "this page is from an earlier run of the review server: reload it")

    def batch_progress() -> tuple[list[Progress], Progress]:
        decisions = store.decisions()
        each = [progress(r.source, reviewed_patients(r.source, batch.values(i), decisions), decisions)
                for i, r in enumerate(batch.reports)]
        return each, sum(each, Progress())

    app.add_template_filter(label)
    app.add_template_filter(describe)

    @app.after_request
    def secure(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.get("/")
    def index() -> str:
        each, total = batch_progress()
        first_open = next((i for i, p in enumerate(each) if not p.reviewed), None)
        return render_template("index.html", reports=batch.reports, progress=each, total=total,
                               first_open=first_open, curator=curator(), token=token)

    @app.get("/doc/<int:index>")
    def show(index: int) -> str:
        report, patients, decisions = document(index)
        text = batch.text(index)
        return render_template(
            "document.html", index=index, count=len(batch), report=report, patients=patients, text=text,
            progress=progress(report.source, patients, decisions),
            nothing_found=decisions.get(nothing_found_key(report.source)),
            history=store.history(report.source), choices=inputs.CHOICES,
            curator=curator(), token=token, new_patient=next_patient(patients), all_fields=FIELD_COLUMNS,
            treatment_fields=TREATMENT_FIELDS,
            span=lambda cell: Span.of(text.text, cell.evidence))

    @app.post("/doc/<int:index>/decide")
    def decide(index: int) -> Any:
        check_token()
        report, patients, _ = document(index)
        try:
            form = request.form
            key = Key(report.source, inputs.patient_id(form.get("patient", "")),
                      inputs.line_number(form.get("line", "")), inputs.field_name(form.get("field", "")))
            cell = next((c for p in patients for c in p.all_cells() if c.key == key), None)
            if cell is None:
                raise inputs.InputError("no such value in this document: reload the page")
            action = form.get("action", "")
            if action not in ACTIONS:
                raise inputs.InputError(f"unknown action {action[:20]!r}: accept, correct or absent")
            value = _decided_value(action, cell, form.get("value", ""))
            name = inputs.curator_name(curator())
        except inputs.InputError as error:
            return _answer(index, {"error": str(error)}, 400)
        store.record(key, ACTIONS[action], value, name)
        _, patients, decisions = document(index)
        cell = next(c for p in patients for c in p.all_cells() if c.key == key)
        done = progress(report.source, patients, decisions)
        return _answer(index, {"status": cell.status, "value": cell.value, "label": label(cell),
                               "progress": f"{done.decided} of {done.values} values checked"}, 200, cell)

    @app.post("/doc/<int:index>/add")
    def add(index: int) -> Any:
        """A patient or a treatment line the extraction missed, with the values the curator gives."""
        check_token()
        report, patients, _ = document(index)
        try:
            name = inputs.curator_name(curator())
            patient = request.form.get("patient", "")
            existing = next((p for p in patients if p.patient == patient), None)
            if existing is None and patient != next_patient(patients):
                raise inputs.InputError("add to a patient of this document, or the new one the form offers")
            fields = dict(TREATMENT_FIELDS) if existing is not None else {**PATIENT_FIELDS, **TREATMENT_FIELDS}
            given = {f: request.form.get(f, "").strip() for f in fields}
            values = {f: inputs.value(f, raw) for f, raw in given.items() if raw}
            if not values:
                raise inputs.InputError("give at least one value (the drug, for a line) to add")
        except inputs.InputError as error:
            return _answer(index, {"error": str(error)}, 400)
        line = next_line(existing) if existing is not None else 1
        for field, value in values.items():
            key_line = PATIENT_LINE if field in PATIENT_FIELDS else line
            store.record(Key(report.source, patient, key_line, field), "added", value, name)
        return redirect(url_for("show", index=index))

    @app.post("/doc/<int:index>/nothing-found")
    def confirm_nothing_found(index: int) -> Any:
        """A document without extracted values: the curator read it and found nothing to add."""
        check_token()
        report, patients, _ = document(index)
        try:
            if patients:
                raise inputs.InputError("this document has values: decide each of them instead")
            name = inputs.curator_name(curator())
        except inputs.InputError as error:
            return _answer(index, {"error": str(error)}, 400)
        store.record(nothing_found_key(report.source), "accepted", None, name)
        return redirect(url_for("show", index=index))

    @app.post("/curator")
    def set_curator() -> Any:
        check_token()
        try:
            name = inputs.curator_name(request.form.get("curator", ""))
        except inputs.InputError as error:
            abort(400, str(error))
        back = request.form.get("back", "")
        # Back to a page of this app only (a browser reads "/\host" as another site).
        response = redirect(back if _PAGE.fullmatch(back) else url_for("index"))
        response.set_cookie("curator", name, samesite="Strict", httponly=True)
        return response

    return app


def describe(decision: Decision) -> str:
    """A decision in words, with who made it and when (UTC, to the minute)."""
    by = f"{decision.curator}, {decision.decided_at[:16].replace('T', ' ')}"
    words = {"accepted": "accepted", "corrected": f"corrected to {decision.value}",
             "absent": "not in paper", "added": f"added: {decision.value}"}[decision.status]
    return f"{words} ({by})"


def label(cell: Cell) -> str:
    """The current decision on a value, or what is still to do."""
    if cell.decision is None:
        return "to check" if cell.extracted is not None else ""
    return describe(cell.decision)


def _decided_value(action: str, cell: Cell, raw: str) -> str | None:
    if action == "absent":
        return None
    if action == "accept":
        if cell.extracted is None:
            raise inputs.InputError("nothing was extracted here to accept: type a value and correct")
        return cell.extracted
    return inputs.value(cell.key.field, raw)


def _answer(index: int, body: dict[str, Any], status: int, cell: Cell | None = None) -> Any:
    """JSON for the page's script; a redirect back to the value (or a plain error) without scripts."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify(body), status
    if status != 200:
        abort(status, body["error"])
    anchor = f"v-{cell.key.patient}-{cell.key.line}-{cell.key.field}" if cell else ""
    return redirect(url_for("show", index=index, _anchor=anchor))
