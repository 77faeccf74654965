"""The Snowball stemmers of the four languages (through tantivy's analysers), for the lexicon.

The embedded index stems with the same analysers, so a concept term, a query word and an
indexed word are stemmed alike.
"""

from __future__ import annotations

from functools import cache

import tantivy

STEMMERS = {"nl": "dutch", "fr": "french", "de": "german", "en": "english"}
MAX_WORD_LENGTH = 60


def fold_analyzer() -> tantivy.TextAnalyzer:
    """Lower case, accents removed, split on non-letters."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_WORD_LENGTH))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def stem_analyzer(language: str) -> tantivy.TextAnalyzer:
    """As ``fold_analyzer``, then the language's Snowball stemmer."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_WORD_LENGTH))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer(STEMMERS[language]))
        .build()
    )


_ANALYZERS = {language: stem_analyzer(language) for language in STEMMERS}


@cache
def stem(word: str, language: str) -> str:
    """The stem of one folded word in ``language`` (the word itself for an unknown language)."""
    analyzer = _ANALYZERS.get(language)
    if analyzer is None:
        return word
    found = analyzer.analyze(word)
    return found[0] if found else word
