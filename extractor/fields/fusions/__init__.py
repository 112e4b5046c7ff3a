"""Fusions: the recogniser (HGNC gene lexicon, patterns/fusions.jsonl) and the picker of the patient's fusion."""
