"""How search reads typed words (search.text): invisible characters, corrections, inflections."""

from __future__ import annotations

import pytest

from ila_register.search.text import inflected, nearest, tokens, words


def test_a_soft_hyphen_or_zero_width_space_copied_from_a_page_does_not_split_a_word() -> None:
    assert words("Gabel\u00adstapler") == ["Gabelstapler"]
    assert tokens("kinder\u200bopvang Kurs") == ["kinderopvang", "kurs"]


@pytest.mark.parametrize(
    ("typed", "vocabulary", "expected"),
    [
        ("lsaesr", ["lasser"], "lasser"),  # two letters swapped, same length
        ("lasssenn", ["lassen", "lasten"], "lassen"),  # sticky keys
        ("luix", ["luik"], "luik"),  # four letters: one letter mistyped
        ("yoga", ["your"], None),  # four letters, two edits: another word
        ("CAD", ["cas"], None),  # under four letters: a word of its own
        ("courier", ["course"], None),  # beyond the typo budget
        ("Maler", ["maken"], None),  # two letters changed, not swapped: another word
    ],
)
def test_did_you_mean_corrects_typos_not_other_words(typed: str, vocabulary: list[str], expected: str | None) -> None:
    assert nearest(typed, [(w, 1) for w in vocabulary]) == expected


@pytest.mark.parametrize(
    ("word", "term", "expected"),
    [
        ("soudeurs", "soudeur", True),
        ("pflegen", "pflege", True),
        ("telephonique", "telephoniste", False),
        ("clean", "cleaning", False),
        ("a", "aed", False),
    ],
)
def test_a_stem_finds_a_concept_between_inflections_only(word: str, term: str, expected: bool) -> None:
    assert inflected(word, term) is expected
