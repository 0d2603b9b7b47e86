"""User-facing errors. The CLI turns an `InputError` into one line and exit code 2."""


class InputError(Exception):
    """Bad input from the user: a file, a line, an option. The message names it."""
