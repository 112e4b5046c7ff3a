"""casetable: oncology case reports (text, PDF) -> the 'Table 1' of a case review, with evidence.

    >>> import extractor
    >>> report = extractor.extract("corpus/reports/c01_....txt")
    >>> table = extractor.extract_table(["corpus/"])

The names below are imported on first use: pandas and the readers take seconds to import on a busy
machine, and the command line refuses an output it cannot write before it needs them.
"""

from importlib import import_module

from .version import __version__

_HOMES = {"extract": "api", "extract_many": "api", "extract_table": "api", "extract_text": "api",
          "Evidence": "records", "Patient": "records", "Report": "records", "Treatment": "records"}

__all__ = sorted(_HOMES) + ["__version__"]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'extractor' has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
