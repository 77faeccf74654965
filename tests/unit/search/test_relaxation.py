"""Which words a query requires (relaxation.relax), on a catalogue small enough to count by hand."""

from __future__ import annotations

from collections.abc import Sequence

from ila_register.search.lexicon import Unit
from ila_register.search.relaxation import relax

# Each offer as the set of words it has.
OFFERS = [{"cursus", "lassen"}, {"cursus", "koken"}, {"cursus", "excel"}, {"lassen", "tig"}, {"koken"}]


def _relax(
    words: Sequence[str], concepts: Sequence[str] = (), enough: int = 2
) -> tuple[list[str], list[str], list[str]]:
    units = [Unit(text=w, words=(w,), concepts=frozenset({w}) if w in concepts else frozenset()) for w in words]

    def count(positions: Sequence[int]) -> int:
        return sum(all(units[i].text in offer for i in positions) for offer in OFFERS)

    found = relax(units, count, enough)
    return ([words[i] for i in found.kept], [words[i] for i in found.relaxed], [words[i] for i in found.unknown])


def test_every_word_is_required_while_enough_offers_have_them_all() -> None:
    assert _relax(["lassen"]) == (["lassen"], [], [])


def test_a_word_no_offer_has_is_dropped_first() -> None:
    assert _relax(["lassen", "xyzzy"]) == (["lassen"], [], ["xyzzy"])


def test_a_word_naming_no_concept_goes_before_one_that_does_then_the_most_frequent() -> None:
    assert _relax(["cursus", "lassen"], concepts=["lassen"]) == (["lassen"], ["cursus"], [])
    # both name a concept: the more frequent one (cursus: 3 offers) goes
    assert _relax(["cursus", "lassen"], concepts=["cursus", "lassen"]) == (["lassen"], ["cursus"], [])


def test_at_least_one_word_stays_even_when_too_few_offers_have_it() -> None:
    assert _relax(["tig"], enough=5) == (["tig"], [], [])
    assert _relax(["tig", "excel"], enough=5)[0] in (["tig"], ["excel"])


def test_a_word_every_remaining_offer_has_anyway_is_not_ignored() -> None:
    """*Python programmeren*: dropping *programmeren* finds no more offers, so it stays required."""
    catalogue = [{"python", "programmeren"}, {"python", "programmeren"}, {"excel"}]
    units = [Unit(text=w, words=(w,)) for w in ("python", "programmeren")]
    found = relax(units, lambda positions: sum(all(units[i].text in o for i in positions) for o in catalogue), 20)
    assert (found.kept, found.relaxed) == ((0, 1), ())


def test_a_subject_the_register_lacks_is_not_replaced_by_a_generic_word() -> None:
    """*slager opleiding*: no butcher offer; every "opleiding" would be a wrong answer."""
    butcher = Unit(text="slager", words=("slager",), concepts=frozenset({"butcher"}), known=True)
    training = Unit(text="opleiding", words=("opleiding",))
    found = relax([butcher, training], lambda positions: 0 if 0 in positions else 50)
    assert found.kept == ()
    assert found.unknown == (0,)
    typo = Unit(text="lsaesr", words=("lsaesr",))  # not a known subject: the other word still searches
    assert relax([typo, training], lambda positions: 0 if 0 in positions else 50).kept == (1,)


def test_words_no_two_of_which_meet_are_dropped_until_offers_are_found() -> None:
    """*hulp nieuwe job*: no offer has two of them; dropping one at a time finds nothing, so go on."""
    catalogue = [{"hulp"}, {"nieuwe"}, {"job"}, {"job"}]
    units = [Unit(text=w, words=(w,)) for w in ("hulp", "nieuwe", "job")]
    found = relax(units, lambda positions: sum(all(units[i].text in o for i in positions) for o in catalogue), 20)
    assert len(found.kept) == 1
    assert len(found.relaxed) == 2
