"""JSON text from users, decoded with its sizes bounded and its ambiguities refused.

The standard decoder lets the last of two equal keys win, turns a 5,000-digit number into a ``ValueError`` and
a 100,000-deep array into a ``RecursionError``; :func:`loads` makes each of these one :class:`JsonTextError`
that says what is wrong and where.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DIGITS = 100  # of a number; a patient description needs a few


class JsonTextError(ValueError):
    """The text is not JSON vcfkg accepts; the message says why (and where, for syntax errors)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonTextError(f"key {json.dumps(key)[:80]} is given twice")
            seen.add(key)
    return result


def _number(text: str) -> int | float:
    if len(text) > MAX_DIGITS:
        raise JsonTextError(f"a number of {len(text):,} characters; at most {MAX_DIGITS} are accepted")
    return float(text) if any(c in text for c in ".eE") else int(text)


def _constant(name: str) -> float:
    raise JsonTextError(f"{name} is not JSON")


def loads(text: str | bytes) -> Any:
    """Decode JSON text; duplicate keys, huge numbers, NaN/Infinity and too deep nesting raise JsonTextError."""
    try:
        return json.loads(
            text, object_pairs_hook=_pairs, parse_int=_number, parse_float=_number, parse_constant=_constant
        )
    except json.JSONDecodeError as error:
        raise JsonTextError(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except RecursionError:
        raise JsonTextError("nested too deeply") from None
    except UnicodeDecodeError as error:
        raise JsonTextError(f"not UTF-8 text (byte {error.start})") from None


def duplicate_keys_possible(line: bytes, data: object) -> bool:
    """Whether a line a fast decoder read into ``data`` may have had a repeated key, which it would have hidden.

    Every key written in the line is followed by a colon, so a line with no more colons than ``data`` has keys
    has no repeated key. Otherwise (a colon inside a string) each key of every object must occur once, quoted,
    in the line: exact for keys written without escapes; a line with a backslash is always checked again.
    """
    if b"\\" in line:
        return True
    objects = _objects(data)
    if line.count(b":") == sum(map(len, objects)):
        return False
    return any(line.count(b'"' + key.encode() + b'"') > 1 for item in objects for key in item)


def _objects(data: object) -> list[dict[str, Any]]:
    """Every object in decoded JSON (walked in a loop, not by recursion: nesting may be deep)."""
    objects = []
    stack = [data]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            objects.append(item)
            values: Any = item.values()
        elif type(item) is list:
            values = item
        else:
            continue
        for value in values:
            if type(value) is dict or type(value) is list:
                stack.append(value)
    return objects
