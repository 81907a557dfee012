"""The one kind of error Duikou reports to a person: a sentence, never a traceback."""


class DuikouError(Exception):
    """Something a person can fix; `str(error)` says what went wrong and what to do."""
