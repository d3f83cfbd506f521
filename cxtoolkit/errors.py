"""Errors the toolkit reports to a user as one clear line (no traceback)."""


class InputError(Exception):
    """Unusable input: a file, a setting or an argument. The message names it and says why.

    The CLI prints the message and exits with status 2.
    """
