"""casetable: oncology case reports (text, PDF) -> the 'Table 1' of a case review, with evidence.

    >>> import extractor
    >>> report = extractor.extract("corpus/reports/c01_....txt")
    >>> table = extractor.extract_table(["corpus/"])
"""

__version__ = "0.1.0"

from .api import extract, extract_many, extract_table, extract_text  # noqa: E402
from .records import Evidence, Patient, Report, Treatment  # noqa: E402

__all__ = ["Evidence", "Patient", "Report", "Treatment", "extract", "extract_many", "extract_table",
           "extract_text", "__version__"]
