"""Errors the toolkit reports to a user as one clear line (no traceback)."""


class InputError(Exception):
    """Unusable input: a file, a setting or an argument. The message names it and says why.

    The CLI prints the message and exits with status 2. The message is always one line:
    line breaks coming from the input itself (a quoted header cell spanning two lines,
    say) are shown escaped.

    >>> str(InputError("x.csv: missing column (found: a\\nb)"))
    'x.csv: missing column (found: a\\\\nb)'
    """

    def __init__(self, message: object = "") -> None:
        text = str(message).strip().replace("\r", "\\r").replace("\n", "\\n")
        super().__init__(text)
