"""The pages' language and wording: negotiation, completeness of messages.toml, Belgian formats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ila_register.web.i18n import Messages, MessagesError, negotiate_language


@pytest.mark.parametrize(
    ("requested", "accept", "expected"),
    [
        ("fr", "de-DE,de;q=0.9", "fr"),  # the URL wins: a switched language is remembered
        (None, "de-BE,de;q=0.9,en;q=0.5", "de"),
        (None, "en-GB;q=0.5, fr-BE;q=0.8", "fr"),
        (None, "es-ES,es;q=0.9", "nl"),  # none of ours: Dutch
        (None, None, "nl"),
        ("xx", "fr", "fr"),  # an unknown ?lang= is ignored
        (None, "fr;q=abc, en", "en"),  # a broken weight counts as 0
        (None, "en, fr", "en"),  # equal weights: the first listed
    ],
)
def test_language_comes_from_the_url_then_accept_language(
    requested: str | None, accept: str | None, expected: str
) -> None:
    assert negotiate_language(requested, accept) == expected


def test_every_message_exists_in_four_languages() -> None:
    messages = Messages.load()
    assert len(messages.texts) > 100
    for key, texts in messages.texts.items():
        assert set(texts) == {"nl", "fr", "de", "en"}, key
        assert all(text.strip() for text in texts.values()), key


def test_a_broken_messages_file_is_refused_with_the_key(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    missing.write_text('[search_button]\nnl = "Zoeken"\nfr = "Rechercher"\nen = "Search"\n', encoding="utf-8")
    with pytest.raises(MessagesError, match=r"\[search_button\] needs exactly nl, fr, de and en"):
        Messages.load(missing)
    placeholders = tmp_path / "placeholders.toml"
    placeholders.write_text(
        '[hours]\nnl = "{hours} uur"\nfr = "{heures} heures"\nde = "{hours} Stunden"\nen = "{hours} hours"\n',
        encoding="utf-8",
    )
    with pytest.raises(MessagesError, match="different placeholders"):
        Messages.load(placeholders)


def test_dates_and_prices_are_written_the_belgian_way() -> None:
    messages = Messages.load()
    nl, fr, de, en = (messages.translator(lang) for lang in ("nl", "fr", "de", "en"))
    assert nl.long_date(date(2027, 2, 1)) == "1 februari 2027"
    assert fr.long_date(date(2027, 2, 1)) == "1 février 2027"
    assert de.long_date(date(2027, 2, 1)) == "1. Februar 2027"
    assert nl.price(495, "EUR") == "€\xa0495,00"
    assert fr.price(495, "EUR") == "495,00\xa0€"
    assert en.price(0, "EUR") == "free"
    assert de.price(0, "EUR") == "kostenlos"
    assert fr("results_count", count=fr.number(1234)) == "1\u202f234 résultats"
