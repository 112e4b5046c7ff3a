"""The Python API; the CLI is a thin layer over it, so both give the same records.

One document: ``extract`` and ``extract_text`` (from ``extraction``). Many: ``extract_many`` and
``extract_table``, which find the documents (``inputs``) and run them in this process, in a local
process pool (``batch``) or on a Dask cluster (``dask_runner``). The dependency runs one way:
this module uses those, and none of them imports it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterable, Iterator

from .extraction import PathOrText, extract, extract_document, extract_text, load_pipeline
from .inputs import discover
from .jobs import default_jobs
from .readers import Limits
from .records import Report
from .table import to_dataframe
from .tasks import BatchOptions, Task, run_task

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language

__all__ = ["BatchOptions", "PathOrText", "Task", "extract", "extract_document", "extract_many", "extract_table",
           "extract_tasks", "extract_text"]


def extract_tasks(tasks: list[Task], options: BatchOptions, nlp: Language | None = None, *, jobs: int | None = 1,
                  model: str | None = None, scheduler: str | None = None, isolated: bool = False) -> Iterator[Report]:
    """Reports of ``tasks`` in their order; ``jobs`` > 1 runs them in worker processes, None as
    many as the batch gains from (``jobs.default_jobs``); ``isolated`` runs them in worker processes
    even one at a time, where the memory and time limits hold in C code too (``extractor.guard``);
    a Dask ``scheduler`` address ("tcp://host:8786") runs them on that cluster's workers."""
    if scheduler is not None:
        if nlp is not None:
            raise ValueError("a custom nlp object runs in this process only: pass model= to a Dask cluster")
        from .dask_runner import run_on_dask

        yield from run_on_dask(tasks, options, scheduler=scheduler, model=model)
        return
    jobs = default_jobs(tasks) if jobs is None else jobs
    if (jobs > 1 and len(tasks) > 1) or (isolated and tasks):
        if nlp is not None:
            raise ValueError("a custom nlp object runs in this process only: use jobs=1, or pass model=")
        from .batch import run_parallel

        yield from run_parallel(tasks, options, jobs=jobs, model=model)
        return
    nlp = nlp or load_pipeline(model)
    for task in tasks:
        yield run_task(task, nlp, options)


def extract_many(paths: Iterable[PathOrText], nlp: Language | None = None, *, jobs: int = 1,
                 model: str | None = None, limits: Limits | None = None, text_field: str = "text",
                 id_field: str = "id", scheduler: str | None = None) -> Iterator[Report]:
    """One Report per document under ``paths`` (a JSONL file: one per line), in input order,
    the same whatever ``jobs`` is.

    ``jobs`` > 1 reads and extracts in that many worker processes, each building the pipeline
    (``model``) once; a custom ``nlp`` object cannot be shared with them, so it needs ``jobs=1``.
    As with any use of multiprocessing, a script that passes ``jobs`` > 1 must call it under
    ``if __name__ == "__main__":`` (the workers import the script). ``scheduler`` sends the
    documents to a Dask cluster instead (``pip install "casetable[dask]"``).
    Hidden files and files that are not articles are passed over in directories
    (``extractor.inputs.discover`` lists them).
    """
    options = BatchOptions(limits or Limits(), text_field, id_field)
    tasks = discover(paths, options).tasks
    yield from extract_tasks(tasks, options, nlp, jobs=jobs, model=model, scheduler=scheduler)


def extract_table(paths: Iterable[PathOrText] | PathOrText, nlp: Language | None = None, *, jobs: int = 1,
                  **options) -> pd.DataFrame:
    """Table 1 of every report under ``paths``: one row per patient and treatment line."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return to_dataframe(list(extract_many(paths, nlp, jobs=jobs, **options)))
