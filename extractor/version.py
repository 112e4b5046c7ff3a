"""The version of casetable, read by pyproject.toml (dynamic version) and written into every record."""

__version__ = "0.2.0"
