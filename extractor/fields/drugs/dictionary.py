"""drug-named-entity-recognition's offline dictionary, read from the file the package ships.

Importing the package loads its three name tables and also builds a character-trigram index for
its fuzzy search: about 2 s and 350 MB in every process, for an index casetable never uses
(misspellings are matched against the names with a drug stem, in components/drugs.py). Reading
the package's dictionary file gives the same three tables in about 0.4 s and 60 MB, which is most
of a batch's start-up and of each worker's memory.
"""

from __future__ import annotations

import bz2
import importlib.util
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_PACKAGE = "drug_named_entity_recognition"
_DATA_FILE = "drug_ner_dictionary.pkl.bz2"
_REINSTALL = "reinstall it: pip install --force-reinstall 'drug-named-entity-recognition>=2.0.9,<3'"


@dataclass(frozen=True)
class DrugDictionary:
    """The package's tables: lower-case name -> its entries' canonical names; canonical name -> the
    entry's record (name, DrugBank and MedlinePlus ids, ...); lower-case name -> what that name adds."""

    variant_to_canonical: dict[str, list[str]]
    canonical_to_data: dict[str, dict]
    variant_to_variant_data: dict[str, dict]


@lru_cache(maxsize=1)
def drug_dictionary() -> DrugDictionary:
    """Loaded once per process, when the first drug is sought."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the drug dictionary package {_PACKAGE} is not installed: {_REINSTALL}")
    path = Path(next(iter(spec.submodule_search_locations))) / _DATA_FILE
    try:
        with bz2.open(path, "rb") as handle:
            tables = pickle.load(handle)
        return DrugDictionary(tables["drug_variant_to_canonical"], tables["drug_canonical_to_data"],
                              tables["drug_variant_to_variant_data"])
    except (OSError, EOFError, KeyError, TypeError, pickle.UnpicklingError) as error:
        raise RuntimeError(f"the drug dictionary {path} cannot be read ({type(error).__name__}: {error}): "
                           f"{_REINSTALL}") from error
