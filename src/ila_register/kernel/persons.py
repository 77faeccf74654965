"""The person behind a token, in the one form four eyes compare.

Two tokens belong to one person when their persons have the same key: trimmed, inner runs of
white space made one space, Unicode NFKC (full-width and compatibility forms folded) and
case-folded, so "Alice", " alice " and "ALICE" in full-width letters are one reviewer. A blank person is no
person at all and is refused where a token is created, never read as "no name".
"""

from __future__ import annotations

import unicodedata

MAX_PERSON = 200


def person_name(given: str) -> str:
    """A person as given, tidied for display (trimmed, one space between words); refuse a blank one."""
    name = " ".join(unicodedata.normalize("NFKC", given).split())
    if not name:
        raise ValueError(
            "the person is blank: name who holds the token (e.g. a staff id), or leave the person out "
            "and the token is its own person"
        )
    if len(name) > MAX_PERSON:
        raise ValueError(f"the person is longer than {MAX_PERSON} characters")
    return name


def person_key(name: str) -> str:
    """What four eyes compare: two names with the same key are one person."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())
