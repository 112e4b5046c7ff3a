"""The curator review: a local web app over extracted records, its decision store and the export.

A curator checks each value beside the sentence it came from and accepts it, corrects it or marks it
"not in paper"; missing patients and lines can be added. Decisions are filed by (source, patient,
line, field), so they survive a restart and a re-extraction of the same documents, and ``export``
writes the reviewed table, corrected values winning, shaped by a YAML mapping for a registry.
"""
