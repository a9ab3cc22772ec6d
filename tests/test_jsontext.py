"""JSON text from users: the standard decoder's ambiguities (repeated keys, NaN, huge numbers, deep nesting) are
refused with one message each; the fast path's duplicate-key check never misses a repeated key."""

from __future__ import annotations

import json

import pytest

from vcfkg import jsontext
from vcfkg.jsontext import JsonTextError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1, "a": 2}', 'key "a" is given twice'),
        ('{"a": {"b": true, "b": false}}', 'key "b" is given twice'),
        ('{"a": NaN}', "NaN is not JSON"),
        ("[-Infinity]", "-Infinity is not JSON"),
        ("1" * 101, "a number of 101 characters; at most 100 are accepted"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a": }', "not valid JSON: Expecting value at line 1 column 7"),
        (b'{"a": "\xff"}', "not UTF-8 text"),
    ],
    ids=["repeated-key", "nested-repeated-key", "nan", "infinity", "huge-number", "deep", "syntax", "not-utf8"],
)
def test_refused_text_says_why(text: str | bytes, message: str) -> None:
    with pytest.raises(JsonTextError) as raised:
        jsontext.loads(text)
    assert message in str(raised.value)


def test_ordinary_json_reads_as_the_standard_decoder_does() -> None:
    text = '{"question": "imaging", "n": [1, 2.5, -3e2], "x": null, "ok": true, "s": {"pain": "none"}}'
    assert jsontext.loads(text) == json.loads(text)
    assert jsontext.loads("1" * 100) == int("1" * 100)


@pytest.mark.parametrize(
    ("line", "possible"),
    [
        (b'{"a": 1, "b": {"c": 2}}', False),
        (b'{"a": 1, "b": {"a": 2}}', False),  # the same key in two objects is no repetition: colons = keys
        (b'{"a": 1, "a": 2}', True),
        (b'{"a": "\\u0061"}', True),  # an escape: always checked again
        (b'[{"k": 1}, {"k": 2}]', False),
        (b'[{"k": 1, "k": 2}]', True),
        (b'{"codes": ["snomedct:1"], "a": 1}', False),  # a colon in a string: each key looked up, none twice
        (b'{"codes": ["snomedct:1"], "codes": []}', True),
        (b'{"a": "x:y", "b": {"c": 1, "c": 2}}', True),
        (b'[[[{"a": 1, "a": 2}]]]', True),
        (b"[" * 600 + b"]" * 600, False),  # deep nesting: counted in a loop, not by recursion
    ],
)
def test_duplicate_keys_possible_never_misses_a_repeated_key(line: bytes, possible: bool) -> None:
    data = json.loads(line)  # like a fast decoder, keeping the last of two equal keys
    assert jsontext.duplicate_keys_possible(line, data) is possible
