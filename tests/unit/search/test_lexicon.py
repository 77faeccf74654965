"""The lexicon: how search reads a query and an offer's text (issue 15, points 1, 2 and 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ila_register.search.lexicon import Concept, Lexicon
from ila_register.search.stemming import stem
from ila_register.search.text import fold
from ila_register.vocab.lists import VocabError
from support import ROOT


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load(ROOT / "vocab")


def _concept_of(lexicon: Lexicon, term: str) -> frozenset[str]:
    return lexicon.concepts_of(fold(term).split(), stem)


def test_the_vocabulary_holds_at_least_150_concepts_in_three_or_four_languages(lexicon: Lexicon) -> None:
    assert len(lexicon.concepts) >= 150
    assert all(len(c.terms) >= 3 for c in lexicon.concepts), [c.id for c in lexicon.concepts if len(c.terms) < 3]


@pytest.mark.parametrize(
    "words",
    [
        ("lasser", "soudeur", "Schweißer", "welder", "lassen", "soudure", "Schweißen", "welding"),
        ("kok", "cuisinier", "Koch", "cook"),
        ("verpleegkundige", "infirmier", "nursing", "soins infirmiers"),
        ("heftruck", "chariot élévateur", "Gabelstapler", "forklift"),
        ("zonnepanelen", "panneaux solaires", "solar panels"),
        ("boekhouding", "comptabilité", "Buchhaltung", "bookkeeping"),
    ],
)
def test_an_occupation_and_its_trade_are_one_concept_across_the_four_languages(
    lexicon: Lexicon, words: tuple[str, ...]
) -> None:
    found = [_concept_of(lexicon, w) for w in words]
    assert all(found), dict(zip(words, found, strict=True))
    assert set.intersection(*(set(f) for f in found)), dict(zip(words, found, strict=True))


def test_plurals_meet_their_concept_through_the_stemmer(lexicon: Lexicon) -> None:
    assert _concept_of(lexicon, "lassers") & _concept_of(lexicon, "lasser")
    assert _concept_of(lexicon, "soudeurs") & _concept_of(lexicon, "soudeur")


def test_a_query_is_read_in_units_with_stop_words_marked_and_multi_word_terms_joined(lexicon: Lexicon) -> None:
    plan = lexicon.plan("formation en soudure pour débutants", "nl", stem)
    assert plan.language == "fr"
    assert [u.text for u in plan.content] == ["formation", "soudure", "débutants"]
    assert {u.text for u in plan.units if u.stop} == {"en", "pour"}
    solar = lexicon.plan("panneaux solaires", "fr", stem)
    assert [u.words for u in solar.units] == [("panneaux", "solaires")]
    assert solar.units[0].concepts


def test_a_query_of_stop_words_only_searches_no_word(lexicon: Lexicon) -> None:
    """As Meilisearch does: stop words are never searched, and the answer names them as not searched."""
    plan = lexicon.plan("der die das", "de", stem)
    assert plan.content == ()
    assert plan.not_searched == ("der", "die", "das")


def test_a_long_sentence_keeps_the_words_that_name_a_concept(lexicon: Lexicon) -> None:
    """Beyond twelve words searched, the words naming a concept stay and the others are named as not searched."""
    text = "hallo ik ben 45 jaar oud werkloos sinds vorig jaar woon in Genk bij mijn zus graag zou ik leren lassen"
    plan = lexicon.plan(text, "nl", stem, max_words=8)
    searched = [u.text for u in plan.content]
    assert "lassen" in searched
    assert len(searched) == 8
    assert "lassen" not in plan.beyond
    assert set(plan.not_searched) | set(searched) == set(text.split())  # every word accounted for


def test_the_last_word_is_being_typed_unless_a_space_follows(lexicon: Lexicon) -> None:
    assert lexicon.plan("excel begi", "nl", stem).units[-1].last
    assert not lexicon.plan("excel begi ", "nl", stem).units[-1].last


def test_dutch_and_german_compounds_split_into_known_parts(lexicon: Lexicon) -> None:
    assert lexicon.split("heftruckchauffeur", "nl") == ("heftruck", "chauffeur")
    assert lexicon.split(fold("Gabelstaplerführerschein"), "de")[0] == "gabelstapler"
    assert lexicon.split("boekhouding", "nl") in {(), ("boekhouding",)} or len(lexicon.split("boekhouding")) > 1
    assert lexicon.split("xyzqwerty", "nl") == ()


def test_an_offer_names_the_concepts_of_its_words_and_the_parts_of_its_compounds(lexicon: Lexicon) -> None:
    concepts, parts = lexicon.document_terms(
        {"de": "Gabelstaplerführerschein in Eupen", "fr": "Devenir cariste : chariots élévateurs"}, stem
    )
    assert _concept_of(lexicon, "forklift") <= concepts
    assert "gabelstapler" in parts


def test_the_query_language_is_detected_and_the_page_language_wins_a_tie(lexicon: Lexicon) -> None:
    assert lexicon.language_of(["ich", "suche", "schweissen"], "nl") == "de"
    assert lexicon.language_of(["excel"], "fr") == "fr"


def test_a_term_in_two_concepts_fails_at_start_up(tmp_path: Path) -> None:
    (tmp_path / "synonyms.toml").write_text(
        '[[concept]]\nid = "a"\nnl = ["lassen"]\nen = ["welding"]\n'
        '[[concept]]\nid = "b"\nnl = ["Lassen"]\nfr = ["soudure"]\n',
        encoding="utf-8",
    )
    (tmp_path / "stopwords.toml").write_text(
        "".join(f'[{lang}]\nwords = ["de"]\n' for lang in ("nl", "fr", "de", "en")), encoding="utf-8"
    )
    (tmp_path / "compound-parts.toml").write_text(
        "".join(f'[{lang}]\nlinking = ["s"]\nparts = ["heftruck"]\n' for lang in ("nl", "de")), encoding="utf-8"
    )
    with pytest.raises(VocabError, match="'Lassen' is also in 'a'"):
        Lexicon.load(tmp_path)


def test_meilisearch_gets_every_term_as_a_mutual_synonym_including_multi_word_ones() -> None:
    lexicon = Lexicon([Concept("solar", "Solar", {"nl": ("zonnepanelen",), "fr": ("panneaux solaires",)})])
    assert lexicon.synonyms() == {"zonnepanelen": ["panneaux solaires"], "panneaux solaires": ["zonnepanelen"]}


def test_esco_labels_are_checked_at_load(tmp_path: Path) -> None:
    import shutil

    for name in ("synonyms.toml", "stopwords.toml", "compound-parts.toml"):
        shutil.copy(ROOT / "vocab" / name, tmp_path / name)
    (tmp_path / "esco.csv").write_text("uri,nl,fr,de,en\nhttp://example.org/skill/1,lassen,,,\n", encoding="utf-8")
    with pytest.raises(VocabError, match=r"line 2.*not an ESCO"):
        Lexicon.load(tmp_path)
    (tmp_path / "esco.csv").write_text(
        "uri,nl,fr,de,en\nhttp://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be,,tableur,,\n",
        encoding="utf-8",
    )
    assert Lexicon.load(tmp_path).competences(
        ["http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be"]
    ) == {"fr": "tableur"}


def test_an_elided_word_and_the_verb_after_it_are_not_searched(lexicon: Lexicon) -> None:
    """*J'ai* is "I have", not AI; *l'accueil* searches *accueil*."""
    plan = lexicon.plan("J'ai 45 ans et je cherche une formation de soudeur", "fr", stem)
    assert "ai" not in [u.words[0] for u in plan.content]
    assert "soudeur" in [u.text for u in plan.content]
    assert [u.text for u in lexicon.plan("l'accueil", "fr", stem).content] == ["accueil"]
    assert [u.text for u in lexicon.plan("AI", "en", stem).content] == ["AI"]  # alone, the concept


def test_a_compound_may_begin_with_a_three_letter_term_or_verb_stem(lexicon: Lexicon) -> None:
    """*lasopleiding* is las (lassen) + opleiding; a three-letter part is never a later part."""
    assert lexicon.split("lasopleiding", "nl") == ("las", "opleiding")
    assert lexicon.split("opleidinglas", "nl") == ()


def test_an_elision_typed_with_a_space_is_read_as_one(lexicon: Lexicon) -> None:
    assert [u.text for u in lexicon.plan("j ai 45 ans je cherche soudure", "fr", stem).content] == [
        "45",
        "ans",
        "soudure",
    ]
    assert next(u.text for u in lexicon.plan("rijbewijs C en CE", "nl", stem).content) == "rijbewijs C"
