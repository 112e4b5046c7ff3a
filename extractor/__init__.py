"""casetable: oncology case reports (text, PDF) -> the 'Table 1' of a case review, with evidence.

    >>> import extractor
    >>> report = extractor.extract("corpus/reports/c01_....txt")
    >>> table = extractor.extract_table(["corpus/"])
"""

from .api import extract, extract_many, extract_table, extract_text
from .records import Evidence, Patient, Report, Treatment
from .version import __version__

__all__ = ["Evidence", "Patient", "Report", "Treatment", "extract", "extract_many", "extract_table",
           "extract_text", "__version__"]
