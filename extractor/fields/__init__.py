"""The fields, one module (or small package) each: its spaCy component, its rule files and the
picker of the patient's value.

Importing this package registers every field's factory with spaCy and its picker with
``extractor.pickers``. Each module names its component (``COMPONENT``) and, where the EntityRuler
finds its phrases, its pattern file (``RULER_PATTERNS``, matched in lower case, and
``CASED_RULER_PATTERNS``, matched as written); the pipeline is built from this list,
ordered by what each component ``assigns`` and ``requires``.
"""

from __future__ import annotations

from types import ModuleType

from . import ages, context, diagnosis, doses, durations, patients, responses, sex, sites
from .drugs import recognizer as drugs
from .fusions import picker as _fusion_picker  # noqa: F401 - registers the fusion pickers
from .fusions import recognizer as fusions

# In the order the pipeline runs them where assigns/requires leave a choice.
FIELD_MODULES: tuple[ModuleType, ...] = (sex, responses, sites, fusions, drugs, doses, ages, durations, diagnosis,
                                          patients, context)
