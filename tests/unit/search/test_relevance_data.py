"""The judged relevance set (benchmarks/relevance/) is well-formed and matches its generator."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
import pytest

from ila_register.offers.schemas import OfferCreate
from support import ROOT

DATA = ROOT / "benchmarks" / "relevance"
LANGUAGES = {"nl", "fr", "de", "en"}


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def corpus() -> dict[str, dict[str, Any]]:
    offers = _lines(DATA / "corpus.jsonl")
    assert len({o["id"] for o in offers}) == len(offers), "corpus ids are unique"
    return {o["id"]: o for o in offers}


@pytest.fixture(scope="module")
def queries() -> list[dict[str, Any]]:
    return _lines(DATA / "judgements.jsonl")


def test_corpus_is_large_multilingual_and_decodes_as_offers(corpus: dict[str, dict[str, Any]]) -> None:
    assert len(corpus) >= 1000
    for offer in corpus.values():
        document = offer["document"]
        msgspec.convert(document, OfferCreate)
        assert document["default_language"] in LANGUAGES
        assert set(document["languages"]) <= LANGUAGES
        assert set(document["title"]) <= LANGUAGES
        assert set(document["description"]) <= LANGUAGES
    languages = Counter(o["document"]["default_language"] for o in corpus.values())
    assert set(languages) == LANGUAGES
    kinds = Counter(o["document"]["kind"] for o in corpus.values())
    assert set(kinds) == {"training", "guidance", "validation"}


def test_every_query_is_judged_over_existing_offers(
    corpus: dict[str, dict[str, Any]], queries: list[dict[str, Any]]
) -> None:
    assert len(queries) >= 250
    assert len({q["id"] for q in queries}) == len(queries), "query ids are unique"
    for query in queries:
        assert query["lang"] in LANGUAGES, query["id"]
        assert query["params"]["lang"] == query["lang"], query["id"]
        assert set(query["judgements"]) <= set(corpus), f"{query['id']} judges offers the corpus lacks"
        assert set(query["judgements"].values()) <= {1, 2, 3}, query["id"]
        relevant = [g for g in query["judgements"].values() if g >= 2]
        assert bool(relevant) != query["expect_none"], f"{query['id']}: relevant offers or expect_none, not both"
    assert Counter(q["lang"] for q in queries).keys() == LANGUAGES
    assert 30 <= sum(q["short"] for q in queries) <= 50


def test_committed_files_are_what_the_generator_writes() -> None:
    spec = importlib.util.spec_from_file_location("relevance_generate", DATA / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate  # dataclasses look their module up there
    spec.loader.exec_module(generate)
    writer = generate.OfferWriter()
    offers = writer.offers()
    judged = generate.queries(offers, generate.Judge(writer.towns, writer.subjects))
    assert generate.lines(offers) == (DATA / "corpus.jsonl").read_text(encoding="utf-8")
    assert generate.lines(judged) == (DATA / "judgements.jsonl").read_text(encoding="utf-8")
