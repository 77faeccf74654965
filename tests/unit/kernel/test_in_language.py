"""The one choice of which language of a multilingual text is shown."""

from __future__ import annotations

from ila_register.kernel.text import in_language

NAME = {"fr": "Centre de formation continue Eupen", "de": "Weiterbildungszentrum Eupen", "en": "Eupen Centre"}


def test_the_language_asked_for_then_the_default_then_nl_fr_de_en() -> None:
    assert in_language(NAME, "en", "de") == ("Eupen Centre", "en")
    assert in_language(NAME, "nl", "de") == ("Weiterbildungszentrum Eupen", "de")
    assert in_language(NAME, "nl") == ("Centre de formation continue Eupen", "fr")  # not the first key stored
    assert in_language({"en": "", "es": "Centro"}, "en") == ("Centro", "es")


def test_nothing_to_show() -> None:
    assert in_language({}, "fr", "nl") == ("", "fr")
