"""The one error readers raise: its message is what a user sees in a record's ``errors``."""


class ReadError(Exception):
    """A file that cannot be turned into a Document; the message says what to do about it."""
