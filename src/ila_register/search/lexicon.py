"""What search knows of the four languages, as data (vocab/): concepts, stop words, compound parts.

- **Concepts** (``synonyms.toml``): labour-market concept groups; a word of one group finds offers
  that use any other word of it, in any of the four languages (*lasser, soudeur, Schweißer,
  welder, lassen, soudure …*). Terms may be several words (*panneaux solaires*); they meet offers
  by their folded form and by their stem in the term's language.
- **Stop words** (``stopwords.toml``): words a search ignores (articles, pronouns, the filler
  people type into a search box). One list, the union of the four, for every query, as
  Meilisearch applies its ``stopWords``.
- **Compound parts** (``compound-parts.toml``): Dutch and German compounds are split into known
  parts (and the concept terms), so *heftruckchauffeur* meets *heftruck … chauffeur* and
  *Gabelstapler* meets *Gabelstaplerführerschein*.

Everything here is pure: the stemmer is passed in (``Stem``), so both search backends and the
tests analyse text the same way. Loading checks the files and fails start-up with the file and
the entry that is wrong.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from ila_register.kernel.text import LANGUAGES
from ila_register.search.text import allowed_typos, fold, inflected, nearest, tokens, trusted, words
from ila_register.vocab.lists import VocabError, load_esco_labels

COMPOUND_LANGUAGES = ("nl", "de")
MIN_PART = 4  # a compound part is at least this long
MAX_TERM_WORDS = 4
READ_WORDS = 3  # a query's words are read up to this many times the most it searches
ELIDED_WORDS = frozenset({"qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"})  # and every single letter
_SPACED_ELISION = re.compile(r"\b([jJ])\s+(\w+)")  # "j ai", "j avais": the apostrophe typed as a space
_ELIDED = re.compile(r"\b(\w{1,6})['\u2019](\w+)")  # French (and Dutch) elision: j'ai, qu'il, l'accueil
SPLIT_CACHE = 200_000  # words whose split is remembered (an offer's vocabulary repeats)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# (word, language) -> the word's stem in that language (already folded)
Stem = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Concept:
    """One labour-market concept: its id, an English label, and its terms per language."""

    id: str
    label: str
    terms: Mapping[str, tuple[str, ...]]

    def all_terms(self) -> list[str]:
        return [t for lang in LANGUAGES for t in self.terms.get(lang, ())]


@dataclass(frozen=True, slots=True)
class Unit:
    """One thing the citizen asked for: a word, or several words that name one concept."""

    text: str  # as typed (the words of a multi-word term joined by spaces)
    words: tuple[str, ...]  # folded
    concepts: frozenset[str] = frozenset()
    parts: tuple[str, ...] = ()  # the compound's parts, when the word is one (folded)
    stop: bool = False
    last: bool = False  # the last word typed: may be unfinished (search-as-you-type)
    joined: str | None = None  # two words typed apart that offers write as one (schoonheids specialiste)
    known: bool = False  # the word is a term of the lexicon as typed (or stemmed): not a typo


@dataclass(frozen=True, slots=True)
class Plan:
    """A query as search reads it: its units in order and the language it is in."""

    units: tuple[Unit, ...]
    language: str
    beyond: tuple[str, ...] = ()  # the words typed after the most a query searches (as typed)

    @property
    def content(self) -> tuple[Unit, ...]:
        """The units that are searched: all but the stop words (none, if there is nothing else)."""
        return tuple(u for u in self.units if not u.stop)

    @property
    def not_searched(self) -> tuple[str, ...]:
        """The words typed that are not searched at all: stop words, and those beyond the limit."""
        return tuple(u.text for u in self.units if u.stop) + self.beyond


class Lexicon:
    """The concepts, stop words and compound parts, with the lookups search needs."""

    def __init__(
        self,
        concepts: Sequence[Concept] = (),
        stopwords: Mapping[str, frozenset[str]] | None = None,
        parts: Mapping[str, frozenset[str]] | None = None,
        linking: Mapping[str, tuple[str, ...]] | None = None,
        esco: Mapping[str, Mapping[str, str]] | None = None,
        after_elision: frozenset[str] = frozenset(),
    ) -> None:
        self.concepts = tuple(concepts)
        self.after_elision = after_elision  # stop words only after an elided word (j'ai, c'est)
        self.esco = dict(esco or {})  # ESCO concept URI -> language -> its preferred label
        self.stopwords = dict(stopwords or {})
        self.linking = dict(linking or {})
        by_folded: dict[tuple[str, ...], set[str]] = {}
        words_by_language: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
        for concept in self.concepts:
            for lang, terms in concept.terms.items():
                for term in terms:
                    by_folded.setdefault(tuple(tokens(term)), set()).add(concept.id)
                    words_by_language[lang].update(tokens(term))
        self._by_folded = {k: frozenset(v) for k, v in by_folded.items()}
        self._single_terms = {k[0]: v for k, v in self._by_folded.items() if len(k) == 1}
        self._language_words = {
            lang: frozenset(w) | self.stopwords.get(lang, frozenset()) for lang, w in words_by_language.items()
        }
        self._stop = frozenset(w for words in self.stopwords.values() for w in words)
        singles = {t[0] for t in by_folded if len(t) == 1 and len(t[0]) >= MIN_PART}
        # A compound may begin with a three-letter part that is a concept term (btw-aangifte) or a
        # trusted stem of one in that language (lassen: las-opleiding); other parts are 4 letters or more.
        self._short_heads = {
            lang: frozenset(
                form
                for concept in self.concepts
                for term in concept.terms.get(lang, ())
                if len(folded := tokens(term)) == 1
                for form in (folded[0], _light_stem(folded[0]))
                if len(form) == MIN_PART - 1
            )
            for lang in COMPOUND_LANGUAGES
        }
        self._dictionary = {
            lang: frozenset((parts or {}).get(lang, frozenset()) | singles) for lang in COMPOUND_LANGUAGES
        }
        self._stemmed: dict[Stem, Mapping[tuple[str, ...], frozenset[tuple[str, tuple[str, ...]]]]] = {}
        self._splits: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self._single_concepts: dict[tuple[str, str, Stem], frozenset[str]] = {}
        self._starts: dict[Stem, frozenset[str]] = {}

    # -- loading ---------------------------------------------------------------------------------

    @classmethod
    def load(cls, vocab_dir: Path) -> Lexicon:
        """The lexicon of ``vocab_dir`` (synonyms.toml, stopwords.toml, compound-parts.toml, esco.csv), checked."""
        concepts = _concepts(vocab_dir / "synonyms.toml")
        stop_raw = _toml(vocab_dir / "stopwords.toml")
        stopwords = {  # folded (what queries are compared with) and as written (what Meilisearch is sent)
            lang: frozenset(
                form for w in _words(stop_raw, lang, "words", "stopwords.toml") for form in (fold(w), w.lower())
            )
            for lang in LANGUAGES
        }
        parts_raw = _toml(vocab_dir / "compound-parts.toml")
        parts, linking = {}, {}
        for lang in COMPOUND_LANGUAGES:
            found = [fold(p) for p in _words(parts_raw, lang, "parts", "compound-parts.toml")]
            if short := [p for p in found if len(p) < MIN_PART]:
                raise VocabError(f"compound-parts.toml: [{lang}] parts shorter than {MIN_PART} letters: {short[:5]}")
            parts[lang] = frozenset(found)
            linking[lang] = tuple(fold(s) for s in _words(parts_raw, lang, "linking", "compound-parts.toml"))
        esco = load_esco_labels(vocab_dir / "esco.csv")
        after_elision = frozenset(
            fold(w)
            for lang in LANGUAGES
            if "after_elision" in stop_raw.get(lang, {})
            for w in _words(stop_raw, lang, "after_elision", "stopwords.toml")
        )
        lexicon = cls(
            concepts=concepts, stopwords=stopwords, parts=parts, linking=linking, esco=esco, after_elision=after_elision
        )
        if clash := sorted(t[0] for t in lexicon._by_folded if len(t) == 1 and t[0] in lexicon._stop):
            raise VocabError(f"stopwords.toml: these words are concept terms in synonyms.toml: {clash[:10]}")
        return lexicon

    # -- lookups -----------------------------------------------------------------------------------

    def is_stop(self, word: str) -> bool:
        return word in self._stop

    def competences(self, uris: Iterable[str]) -> dict[str, str]:
        """The labels of the ESCO skills and occupations an offer declares, per language (one a line).

        They are searched as the offer's own words, so the competence language the offer declares
        is found in every language ESCO labels it in (URIs not in esco.csv add nothing)."""
        found: dict[str, list[str]] = {}
        for uri in uris:
            for lang, label in self.esco.get(uri, {}).items():
                found.setdefault(lang, []).append(label)
        return {lang: "\n".join(labels) for lang, labels in found.items()}

    def concept(self, concept_id: str) -> Concept:
        return next(c for c in self.concepts if c.id == concept_id)

    def _term_stems(self, stem: Stem) -> Mapping[tuple[str, ...], frozenset[tuple[str, tuple[str, ...]]]]:
        """Each concept term's words stemmed in the term's language -> (concept id, the term's folded words)."""
        cache = self._stemmed
        if stem not in cache:
            found: dict[tuple[str, ...], set[tuple[str, tuple[str, ...]]]] = {}
            for concept in self.concepts:
                for lang in LANGUAGES:
                    for term in concept.terms.get(lang, ()):
                        folded = tuple(tokens(term))
                        key = tuple(s if trusted(w, s := stem(w, lang)) else w for w in folded)
                        found.setdefault(key, set()).add((concept.id, folded))
            cache[stem] = {k: frozenset(v) for k, v in found.items()}
        return cache[stem]

    def _by_stem(self, stem: Stem, words: Sequence[str], stemmed: Sequence[str]) -> frozenset[str]:
        """The concepts of the terms stemmed as ``stemmed`` whose words are inflections of ``words``."""
        found = self._term_stems(stem).get(tuple(stemmed))
        if not found:
            return frozenset()
        return frozenset(c for c, term in found if all(map(inflected, words, term)))

    def _phrase_starts(self, stem: Stem) -> frozenset[str]:
        """The first words (folded and stemmed) of the multi-word terms."""
        if stem not in self._starts:
            keys = [*self._by_folded, *self._term_stems(stem)]
            self._starts[stem] = frozenset(k[0] for k in keys if len(k) > 1)
        return self._starts[stem]

    def concepts_of(self, words: Sequence[str], stem: Stem, language: str | None = None) -> frozenset[str]:
        """The concepts named by these folded words: as written, or stemmed (in ``language``, or in each)."""
        key = tuple(words)
        found = set(self._by_folded.get(key, frozenset()))
        for lang in (language,) if language else LANGUAGES:
            found |= self._by_stem(stem, key, [stem(w, lang) for w in key])
        return frozenset(found)

    def split(self, word: str, language: str | None = None) -> tuple[str, ...]:
        """A Dutch or German compound's known parts (``()`` when it is not one).

        The word is read left to right as the longest known parts, each at least ``MIN_PART``
        long, optionally joined by a linking letter (Dutch *-s-*, German *-s-*, *-en-* …). Every
        part must be known, so a word the dictionary cannot cover is left whole.
        """
        key = (word, language)
        if key in self._splits:  # offers repeat their words: each is split once
            return self._splits[key]
        found = self._split_word(word, language)
        if len(self._splits) < SPLIT_CACHE:
            self._splits[key] = found
        return found

    def _split_word(self, word: str, language: str | None) -> tuple[str, ...]:
        first = (language,) if language in COMPOUND_LANGUAGES else ()
        for lang in (*first, *(c for c in COMPOUND_LANGUAGES if c != language)):
            parts = self._split(
                word, self._dictionary[lang], self.linking.get(lang, ()), whole=False, heads=self._short_heads[lang]
            )
            if parts and len(parts) > 1:
                return parts
        return ()

    @staticmethod
    def _split(
        word: str,
        dictionary: frozenset[str],
        linking: tuple[str, ...],
        *,
        whole: bool = True,
        heads: frozenset[str] = frozenset(),
    ) -> tuple[str, ...] | None:
        """The longest known parts of ``word`` (``whole``: the word itself, if known, counts as one;
        ``heads``: three-letter parts it may begin with)."""
        if whole and word in dictionary:
            return (word,)
        shortest = MIN_PART - 1 if heads else MIN_PART
        for end in range(len(word) - MIN_PART, shortest - 1, -1):
            head = word[:end]
            if head not in dictionary and head not in heads:
                continue
            rest = word[end:]
            for link in ("", *linking):
                if rest.startswith(link) and len(rest) - len(link) >= MIN_PART:
                    tail = Lexicon._split(rest[len(link) :], dictionary, linking)
                    if tail:
                        return (head, *tail)
        return None

    def language_of(self, words: Sequence[str], page_language: str) -> str:
        """The language the words are in: the one whose stop words and terms they use most.

        The page's language wins a tie, so a query without clues is read in the page's language.
        """
        scores = dict.fromkeys(LANGUAGES, 0)
        for lang in LANGUAGES:
            scores[lang] = sum(word in self._language_words[lang] for word in words)
        best = max(LANGUAGES, key=lambda lang: (scores[lang], lang == page_language))
        return best if scores[best] > scores.get(page_language, 0) else page_language

    # -- a query -----------------------------------------------------------------------------------

    def plan(self, text: str, page_language: str, stem: Stem, max_words: int = 12) -> Plan:
        """The units of a query: multi-word concept terms joined, compounds split, stop words marked.

        At most ``max_words`` words are searched (stop words do not count); the rest are ``beyond``.
        """
        typed: dict[str, str] = {}  # folded -> as typed (the first time)
        for original in words(_SPACED_ELISION.sub(self._spaced_elision, _ELIDED.sub(self._elision, text))):
            if (word := fold(original)) and word not in typed:
                typed[word] = original
        query_words = list(typed)
        language = self.language_of(query_words, page_language)
        units: list[Unit] = []
        position = 0
        while position < min(len(query_words), READ_WORDS * max_words):
            unit, used = self._unit_at(query_words, position, stem, language)
            units.append(replace(unit, text=" ".join(typed[w] for w in unit.words)))
            position += used
        content = [u for u in units if not u.stop]
        if len(content) > max_words or position < len(query_words):
            # a long sentence: the words that name a concept first, then the others in order
            chosen = {id(u) for u in sorted(content, key=lambda u: not u.concepts)[:max_words]}
            beyond = [u.text for u in content if id(u) not in chosen]
            beyond += [typed[w] for w in query_words[position:]]
            kept = tuple(u for u in units if u.stop or id(u) in chosen)
            return Plan(units=kept, language=language, beyond=tuple(beyond))
        if units and not text[-1:].isspace():
            last = units[-1]
            if not last.concepts and len(last.words) == 1:
                last = replace(last, concepts=self.prefix_concepts(last.words[0]))
            units[-1] = replace(last, last=True)
        return Plan(units=tuple(units), language=language)

    def _elision(self, match: re.Match[str]) -> str:
        """An elided word and what follows (*j'ai*, *c'est*, *l'entreprise*, *qu'il*): the elided word is
        dropped, and what follows too when it is grammatical there (``after_elision``)."""
        elided, word = match.group(1), match.group(2)
        if len(elided) > 1 and fold(elided) not in ELIDED_WORDS:
            return match.group(0)  # an apostrophe inside a word or a name (O'Neill, Côte d'Ivoire stays two)
        return "" if fold(word) in self.after_elision else word

    def _spaced_elision(self, match: re.Match[str]) -> str:
        """An elision typed with a space for its apostrophe (*j ai*): dropped where it is grammatical."""
        return "" if fold(match.group(2)) in self.after_elision else match.group(0)

    def _unit_at(self, words: list[str], position: int, stem: Stem, language: str) -> tuple[Unit, int]:
        for size in range(min(MAX_TERM_WORDS, len(words) - position), 1, -1):
            group = words[position : position + size]
            if concepts := self.concepts_of(group, stem):
                return Unit(text=" ".join(group), words=tuple(group), concepts=concepts), size
        word = words[position]
        parts = self.split(word, language)
        exact = self.concepts_of([word], stem)
        concepts = exact or self._concepts_of_parts(parts, stem, language) or self.near_concepts(word)
        unit = Unit(
            text=word, words=(word,), concepts=concepts, parts=parts, stop=self.is_stop(word), known=bool(exact)
        )
        return unit, 1

    def _concepts_of_parts(self, parts: Sequence[str], stem: Stem, language: str) -> frozenset[str]:
        """A compound names the concepts of its parts (*Schweißkurs*: welding)."""
        return frozenset(c for part in parts for c in self.concepts_of([part], stem, language))

    def near_concepts(self, word: str) -> frozenset[str]:
        """The concepts of the one-word terms within the word's typo budget (*Buchaltung*: bookkeeping)."""
        budget = allowed_typos(word)
        if not budget:
            return frozenset()
        found: set[str] = set()
        for term, concepts in self._single_terms.items():
            if abs(len(term) - len(word)) <= budget and OSA.distance(word, term, score_cutoff=budget) <= budget:
                found |= concepts
        return frozenset(found)

    def nearest_term(self, word: str) -> str | None:
        """The one-word term of the lexicon closest to ``word`` (``text.nearest``)."""
        return nearest(word, ((term, 0) for term in self._single_terms))

    def prefix_concepts(self, prefix: str) -> frozenset[str]:
        """The concepts of the one-word terms that begin with ``prefix`` (a word being typed, 4 letters or more)."""
        if len(prefix) < MIN_PART:
            return frozenset()
        return frozenset(
            c for term, concepts in self._single_terms.items() if term.startswith(prefix) for c in concepts
        )

    # -- a document --------------------------------------------------------------------------------

    def document_terms(
        self, texts: Mapping[str, str], stem: Stem, more: Mapping[str, str] | None = None
    ) -> tuple[frozenset[str], tuple[str, ...]]:
        """What an offer's text (language -> text) names: its concepts, and its compounds' parts.

        Concepts are found by the folded and the stemmed (in the text's language) form of every
        run of up to four words; parts are those of every Dutch or German compound in it, and in
        ``more`` (text searched for its words, not read for concepts: a description).
        """
        concepts: set[str] = set()
        parts: dict[str, None] = {}
        by_folded = self._by_folded
        by_stem = self._by_stem
        for lang, text in (more or {}).items():
            if lang in COMPOUND_LANGUAGES or lang not in LANGUAGES:
                parts.update((part, None) for word in tokens(text) for part in self.split(word, lang))
        single = self._single_concepts
        for lang, text in texts.items():
            words = tokens(text)
            stemmed = [stem(w, lang) for w in words]
            starts = self._phrase_starts(stem)
            for start, (word, stemmed_word) in enumerate(zip(words, stemmed, strict=True)):
                key = (word, stemmed_word, stem)
                if (named := single.get(key)) is None:  # offers repeat their words: each is looked up once
                    named = by_folded.get((word,), frozenset()) | by_stem(stem, (word,), (stemmed_word,))
                    if len(single) < SPLIT_CACHE:
                        single[key] = named
                concepts |= named
                if word not in starts and stemmed_word not in starts:
                    continue  # no multi-word term begins with this word
                for size in range(2, min(MAX_TERM_WORDS, len(words) - start) + 1):
                    concepts |= by_folded.get(tuple(words[start : start + size]), frozenset())
                    concepts |= by_stem(stem, words[start : start + size], stemmed[start : start + size])
            if lang in COMPOUND_LANGUAGES or lang not in LANGUAGES:
                for word in words:
                    for part in self.split(word, lang):
                        parts[part] = None
                        concepts |= by_folded.get((part,), frozenset()) | by_stem(stem, (part,), (stem(part, lang),))
        return frozenset(concepts), tuple(parts)

    def offer_terms(
        self, subjects: Mapping[str, str], descriptions: Mapping[str, str], stem: Stem
    ) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
        """An offer's concepts, the other concepts its description names, and its compounds' parts.

        The concepts are read from what it teaches (``subjects``: title, outcomes, ESCO labels),
        by exact and stemmed forms; a description mentions much that the offer is not about, so
        its concepts count less (both backends search them last) and only by terms written in it
        as they are (no stems: a data course that "cleans" data is no cleaning course)."""
        concepts, parts = self.document_terms(subjects, stem, descriptions)
        described, _ = self.document_terms(descriptions, _as_written)
        return concepts, described - concepts, parts

    def labels(self, concept_ids: Iterable[str]) -> list[str]:
        """Every term of these concepts, in the four languages (what Meilisearch searches for them)."""
        wanted = set(concept_ids)
        return [t for c in self.concepts if c.id in wanted for t in c.all_terms()]

    def synonyms(self) -> dict[str, list[str]]:
        """Meilisearch's mutual-synonym form: every term (lower case) maps to the others of its concept."""
        mapping: dict[str, list[str]] = {}
        for concept in self.concepts:
            terms = list(dict.fromkeys(t.lower() for t in concept.all_terms()))
            for term in terms:
                others = mapping.setdefault(term, [])
                others += [o for o in terms if o != term and o not in others]
        return mapping

    def all_stopwords(self) -> list[str]:
        return sorted(self._stop)


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VocabError(f"{path}: file is missing") from None
    except tomllib.TOMLDecodeError as error:
        raise VocabError(f"{path}: {error}") from None


def _words(raw: Mapping[str, Any], lang: str, key: str, name: str) -> list[str]:
    values = raw.get(lang, {}).get(key) if isinstance(raw.get(lang), dict) else None
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise VocabError(f"{name}: [{lang}] needs `{key}`, a list of words")
    return values


def _concepts(path: Path) -> tuple[Concept, ...]:
    raw = _toml(path)
    concepts: list[Concept] = []
    seen_terms: dict[str, str] = {}
    for index, entry in enumerate(raw.get("concept", []), start=1):
        where = f"{path.name}: concept {index}"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not _ID.match(entry["id"]):
            raise VocabError(f"{where} needs an `id` of lower-case letters, digits and hyphens")
        concept_id = entry["id"]
        if any(c.id == concept_id for c in concepts):
            raise VocabError(f"{where}: the id {concept_id!r} is used twice")
        terms: dict[str, tuple[str, ...]] = {}
        for lang in LANGUAGES:
            values = entry.get(lang, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and tokens(v) for v in values):
                raise VocabError(f"{where} ({concept_id}): `{lang}` must be a list of words")
            if values:
                terms[lang] = tuple(values)
        if len(terms) < 2:
            raise VocabError(f"{where} ({concept_id}): terms in at least two languages are needed")
        for term in (t for lang in terms for t in terms[lang]):
            key = " ".join(tokens(term))
            if seen_terms.get(key, concept_id) != concept_id:
                raise VocabError(f"{where} ({concept_id}): the term {term!r} is also in {seen_terms[key]!r}")
            seen_terms[key] = concept_id
        concepts.append(Concept(id=concept_id, label=str(entry.get("label", concept_id)), terms=terms))
    if not concepts:
        raise VocabError(f"{path.name}: no [[concept]] entries")
    return tuple(concepts)


def _light_stem(word: str) -> str:
    """A Dutch or German verb's stem for compounding (*lassen* -> *las*, *schweißen* -> *schweiß*):
    the infinitive's -en cut and a doubled last consonant undoubled."""
    if word.endswith("en") and len(word) > 4:
        base = word[:-2]
        return base[:-1] if len(base) > 2 and base[-1] == base[-2] else base
    return word


def _as_written(word: str, _language: str) -> str:
    """The "stemmer" that keeps every word as written (exact terms only)."""
    return word
