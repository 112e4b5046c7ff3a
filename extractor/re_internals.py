"""The ``re`` module's own parser, compiler and opcodes, which the regex modules read patterns with
(``regex_screen``, ``regex_starts``, ``regex_folding``): ``re._parser`` and friends from Python 3.11,
``sre_parse`` and friends before."""

try:
    from re import _compiler as sre_compile
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile  # type: ignore[no-redef]
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

__all__ = ["sre", "sre_compile", "sre_parse"]
