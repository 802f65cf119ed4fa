"""One rule for "could this text from a request be an id": ASCII digits only (Python's
int() and str.isdigit() also take "٣" and "²") and within the range of the model's key.
A value that fails it never reaches a query: `id__in` and some views fail with HTTP 500
on text, and on SQLite on numbers beyond 64 bits."""

import re

from django.core.exceptions import ValidationError

ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def can_be_key(model, value) -> bool:
    if not isinstance(value, int) and not ASCII_DIGITS.fullmatch(str(value)):
        return False
    key = model._meta.pk
    try:
        key.run_validators(key.to_python(value))
    except ValidationError:
        return False
    return True
