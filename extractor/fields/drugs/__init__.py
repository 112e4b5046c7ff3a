"""Drugs: the recogniser (drug-named-entity-recognition's dictionary plus patterns/drug_supplement.tsv),
name normalisation to the INN, and the reader of the dictionary file."""
