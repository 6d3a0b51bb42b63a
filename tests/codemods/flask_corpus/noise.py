"""Which recorded answers are noise: a field that differs between two runs of the ORIGINAL app (a JWT, a
timestamp made at request time, a random id) says nothing about the conversion, so it is not compared.

A recorded answer is ``[status, location, json, text]``. Status is always compared with the original's
first run, noisy or not: a request whose status differs is different. JSON is compared where the two
original runs agree (a value that differs between them only has to keep its type); page text is compared
as a template: the spans where the two original runs differ may hold anything (at least one character where
both runs had one), every other part must be there, in order. A redirect's location is compared part by
part (the pieces between ``/ ? # & = ;``): a part the two original runs differ in (an OAuth ``state``) may
hold any value but no separator, every other part must be the same, and there must be as many parts; where
the runs do not even split into the same parts, it is compared as page text is.

An answer that differs only in the order of a JSON list's elements (the same elements, each once) is "order only":
neither the same nor a difference. A listing with no ORDER BY comes in the database's physical order, which the
original itself can change from run to run (another test run before it); its two runs agreeing is chance.

A JSON list whose length differs between the two original runs is a listing of rows other tests left in a shared
database (14 rows in one run, 16 in the other): which rows, and how many, say nothing about the conversion. Its
rows are noise but not their shape: each converted row must be shaped as one of the original's (a dict with the same
keys, each value of the same kind, ``None`` any value). A list both runs agree on is compared item by item.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

FIELDS = ("status", "location", "json", "text")
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
# a number as pages print one (``2026-12-04T16:19:46.741975Z``, ``1.5e3``, ``#42``): no space, a digit in it
_NUMBER = re.compile(r"[\w:.,/+\-]*\d[\w:.,/+\-]*")
_NUMBER_END, _NUMBER_START = re.compile(r"[\d:.,/+\-]*$"), re.compile(r"[\d:.,/+\-]*")  # its digits around a gap
_URL_PART, _PIECE = re.compile(r"[^/?#&=;]+|[/?#&=;]"), re.compile(r"[^/?#&=;]+")  # a location's parts, no separator


@dataclass(frozen=True)
class Verdict:
    same: bool
    noisy: tuple[str, ...] = ()  # the fields that differed between the two runs of the original
    order_only: bool = False  # not the same, but only a JSON list's order differs: the same elements, each once


def compare(first: list, again: list | None, converted: list | None) -> Verdict:
    """The converted answer against the original's two runs (``again`` None: no second answer, all strict)."""
    noisy = tuple(name for index, name in enumerate(FIELDS) if again is not None and first[index] != again[index])
    if converted is None or not isinstance(converted, list) or len(converted) != len(FIELDS):
        return Verdict(False, noisy)
    if again is None:
        return Verdict(first == converted, noisy, first != converted and _reordered(first, None, converted))
    same = (
        first[0] == converted[0]
        and _location_same(first[1], again[1], converted[1])
        and _json_same(first[2], again[2], converted[2])
        and _text_same(first[3], again[3], converted[3])
    )
    return Verdict(same, noisy, not same and _reordered(first, again, converted))


def _reordered(first: list, again: list | None, converted: list) -> bool:
    """Is ``converted`` the original's answer but for the order of a JSON list's elements?"""
    again = first if again is None else again
    return (
        first[0] == converted[0]
        and _location_same(first[1], again[1], converted[1])
        and _text_same(first[3], again[3], converted[3])
        and _json_reordered(first[2], again[2], converted[2])
    )


def _json_reordered(first: Any, again: Any, converted: Any) -> bool:
    """``_json_same`` with each list's elements matched in any order (each converted element used once)."""
    if isinstance(first, dict) and isinstance(again, dict) and first.keys() == again.keys():
        return (
            isinstance(converted, dict)
            and converted.keys() == first.keys()
            and all(_json_reordered(first[k], again[k], converted[k]) for k in first)
        )
    if isinstance(first, list) and isinstance(again, list) and len(first) == len(again):
        if not isinstance(converted, list) or len(converted) != len(first):
            return False
        left = list(range(len(converted)))
        for a, b in zip(first, again, strict=True):
            match = next((i for i in left if _json_reordered(a, b, converted[i])), None)
            if match is None:
                return False
            left.remove(match)
        return True
    return _json_same(first, again, converted)


def _json_same(first: Any, again: Any, converted: Any) -> bool:
    if first == again:
        return first == converted and type(first) is type(converted)
    if isinstance(first, dict) and isinstance(again, dict) and first.keys() == again.keys():
        paged = _paged(first, again)
        return (
            isinstance(converted, dict)
            and converted.keys() == first.keys()
            and all(
                _rows_shaped(first[k], again[k], converted[k])
                if k in paged
                else _json_same(first[k], again[k], converted[k])
                for k in first
            )
        )
    if isinstance(first, list) and isinstance(again, list) and len(first) == len(again):
        return (
            isinstance(converted, list)
            and len(converted) == len(first)
            and all(_json_same(a, b, c) for a, b, c in zip(first, again, converted, strict=True))
        )
    if isinstance(first, list) and isinstance(again, list):  # a listing of rows other tests left, more or fewer
        return _rows_shaped(first, again, converted)
    if type(first) is type(again):  # a value made at request time: it only has to keep its kind
        return type(converted) is type(first)
    return True  # the original itself answers different kinds of value here


def _text_same(first: str | None, again: str | None, converted: str | None) -> bool:
    if first == again:
        return first == converted
    if first is None or again is None:
        return converted is None or isinstance(converted, str)
    if converted is None:
        return False
    return _fits(_template(first, again), converted)


def _location_same(first: str | None, again: str | None, converted: str | None) -> bool:
    """A part of the location (between ``/ ? # & = ;``) the two runs differ in holds any value but no
    separator; every other part is the original's, and there are as many parts."""
    if first is None or again is None or first == again or converted is None:
        return _text_same(first, again, converted)
    a, b, c = (_URL_PART.findall(location) for location in (first, again, converted))
    if len(a) != len(b) or not all(
        x == y or (_PIECE.fullmatch(x) and _PIECE.fullmatch(y)) for x, y in zip(a, b, strict=False)
    ):
        return _text_same(first, again, converted)  # the runs' parts do not line up: compared as page text is
    return len(c) == len(a) and all(
        z == x if x == y else _PIECE.fullmatch(z) is not None for x, y, z in zip(a, b, c, strict=True)
    )


def _template(first: str, again: str) -> tuple[list[str], list[int]]:
    """The text both runs share (literals) and the gaps between them (each gap's least length: 1 where
    both runs had something there, 0 where one had nothing); the first and last literals anchor the ends.

    A number that differs between the runs (a timestamp made at request time) is a gap as a whole: digits the
    two runs happen to share inside it (``16:19:46.74`` and ``16:22:46.33`` share ``:46.``; ``16:59:43`` and
    ``17:07:16`` share ``16``, at other places) are no literal, or a third value (``16:23:22.52``) would not fit
    where any other does."""
    a, b = _TOKEN.findall(first), _TOKEN.findall(again)
    literals, gaps, numbers = [""], [], []
    i = j = 0
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        if block.a > i or block.b > j:
            gaps.append(1 if block.a > i and block.b > j else 0)
            sides = ["".join(side) for side in (a[i : block.a], b[j : block.b])]  # one may be empty
            numbers.append(all(_NUMBER.fullmatch(side) for side in sides if side))
            literals.append("")
        literals[-1] += "".join(a[block.a : block.a + block.size])
        i, j = block.a + block.size, block.b + block.size
    for index, number in enumerate(numbers):
        if number:  # the rest of that number on either side joins the gap, which holds at least as much
            tail, head = _NUMBER_END.search(literals[index])[0], _NUMBER_START.match(literals[index + 1])[0]
            literals[index] = literals[index][: len(literals[index]) - len(tail)]
            literals[index + 1] = literals[index + 1][len(head) :]
            gaps[index] += len(tail) + len(head)
    return literals, gaps


def _fits(template: tuple[list[str], list[int]], text: str) -> bool:
    """Does ``text`` start and end with the outer literals and hold the inner ones in order, gaps kept?"""
    literals, gaps = template
    if not gaps:
        return text == literals[0]
    end = len(text) - len(literals[-1])
    if not text.startswith(literals[0]) or not text.endswith(literals[-1]) or end < len(literals[0]):
        return False
    position = len(literals[0])
    for literal, least in zip(literals[1:-1], gaps, strict=False):
        found = text.find(literal, position + least, end)
        if found < 0:
            return False
        position = found + len(literal)
    return end - position >= gaps[-1]


def _paged(first: dict, again: dict) -> set:
    """The keys of a page's rows whose listing counts more or fewer rows in one run (``{"items": [10 rows], "total":
    14}`` and ``16``): a list each run fills differently, beside a count that differs and holds at least its rows,
    and nothing else that differs (a record whose id, dates and children differ: its children are compared)."""
    differing = [k for k in first if first[k] != again[k]]
    counts = [k for k in differing if _count(first[k]) and _count(again[k])]
    if any(k not in counts and not isinstance(first[k], list) for k in differing):
        return set()
    return {
        k
        for k in first
        if isinstance(first[k], list)
        and isinstance(again[k], list)
        and first[k] != again[k]
        and any(first[n] >= len(first[k]) and again[n] >= len(again[k]) for n in counts)
    }


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _rows_shaped(first: list, again: list, converted: Any) -> bool:
    return isinstance(converted, list) and all(_shaped(first + again, row) for row in converted)


def _shaped(rows: list, row: Any) -> bool:
    """Is ``row`` shaped as one of the original's rows: a dict with the same keys (each value shaped as that row's),
    a list, or a value of the same kind; ``None`` on either side is any value (a column the row left empty)?"""
    return any(_shape_of(seen, row) for seen in rows) if rows else True


def _shape_of(seen: Any, row: Any) -> bool:
    if seen is None or row is None:
        return True
    if isinstance(seen, dict):
        return isinstance(row, dict) and row.keys() == seen.keys() and all(_shape_of(seen[k], row[k]) for k in seen)
    if isinstance(seen, list):
        return isinstance(row, list) and all(_shaped(seen, item) for item in row)
    return type(row) is type(seen)
