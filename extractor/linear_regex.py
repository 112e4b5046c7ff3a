"""Rule regexes whose cost stays linear in the text, whatever the text is.

Python's ``re`` tries a pattern at every position of the text; an unbounded repeat such as
``\\d+`` then runs to the end of a run of digits at each position and fails there, so a run of
20,000 digits costs 20,000² steps (169 s for one document). The rules never need a repeat longer
than a few dozen characters (a number, the spaces between a number and its unit), so each
unbounded ``+`` and ``*`` of a rule file becomes a bounded one, ``{1,MAX_REPEAT}`` and
``{0,MAX_REPEAT}``, at load time: the rule files stay as written, and a match attempt costs at
most a bounded number of steps at each position. (Possessive repeats would do as well, but Python
3.10, which casetable supports, has none.)
"""

from __future__ import annotations

MAX_REPEAT = 64  # longer than any number, word run or gap a rule matches in a case report


def bounded(pattern: str, limit: int = MAX_REPEAT) -> str:
    """``pattern`` with every unbounded ``+`` and ``*`` quantifier bounded by ``limit``; escaped
    characters (``\\+``) and characters inside classes (``[+*]``) are left as they are; a lazy
    (``+?``) or possessive (``*+``) suffix stays after the new bound."""
    out: list[str] = []
    in_class = escaped = False
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]" or pattern[i - 1] == "[" or pattern[i - 2:i] == "[^"
        elif char == "[":
            in_class = True
        elif char in "+*" and not _is_suffix(pattern, i):
            out.append(f"{{{1 if char == '+' else 0},{limit}}}")
            continue
        out.append(char)
    return "".join(out)


def _is_suffix(pattern: str, i: int) -> bool:
    """Whether the ``+`` at ``i`` makes the quantifier before it possessive (``\\d*+``, ``a{2}+``)."""
    previous = pattern[i - 1] if i else ""
    return pattern[i] == "+" and previous in "*+?}" and not (i >= 2 and pattern[i - 2] == "\\")
