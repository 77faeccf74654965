"""The judged relevance benchmark's short set runs, and relevance is no worse than the recorded baseline.

Two bars: the baseline recorded before issue 15 (benchmarks/relevance/baseline.json), and the
floor the issue-15 engine reached on the short set (measured 2026-12-02: zero-result rate 0,
recall@20 0.904, nDCG@10 0.915, MRR 0.988) minus a small tolerance, so relevance cannot regress silently.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import relevance

TOLERANCE = 0.02  # of recall@20, nDCG@10 and MRR
ZERO_TOLERANCE = 0.03  # of the zero-result rate: one query of the short set more may return nothing
FLOOR = {"recall@20": 0.88, "ndcg@10": 0.88, "mrr": 0.95}  # the issue-15 engine, short set, minus ~0.03


@pytest.fixture(scope="module", params=["embedded", "meilisearch"])
def short_run(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    if request.param not in relevance.backends():
        pytest.skip("ILA_MEILI_URL is not set: the Meilisearch half of the judged relevance set skipped")
    return request.param, relevance.evaluate(request.param, short=True)


def test_the_harness_scores_every_short_query(short_run: tuple[str, dict[str, Any]]) -> None:
    _backend, result = short_run
    _corpus, queries = relevance.load_judged(short=True)
    assert [r["id"] for r in result["queries"]] == [q["id"] for q in queries]
    overall = result["metrics"]["overall"]
    assert overall["queries"] == len(queries)
    assert overall["judged"] == sum(not q["expect_none"] for q in queries)
    for row in result["queries"]:
        assert row["ms"] > 0
        assert ("ndcg" in row) != ("answered_nothing" in row), row["id"]
    assert set(result["metrics"]["language"]) == {"nl", "fr", "de", "en"}


def test_relevance_is_not_below_the_recorded_baseline(short_run: tuple[str, dict[str, Any]]) -> None:
    backend, result = short_run
    recorded = json.loads(relevance.BASELINE.read_text(encoding="utf-8"))["backends"].get(backend)
    if recorded is None:
        pytest.skip(f"no baseline recorded for {backend} (benchmarks/relevance.py --record with it available)")
    now, before = result["metrics"]["overall"], recorded["short"]["overall"]
    for metric in ("recall@20", "ndcg@10", "mrr"):
        assert now[metric] >= before[metric] - TOLERANCE, f"{metric}: {now[metric]} < baseline {before[metric]}"
    assert now["zero_result_rate"] <= before["zero_result_rate"] + ZERO_TOLERANCE


def test_relevance_holds_the_floor_the_issue_15_engine_reached(short_run: tuple[str, dict[str, Any]]) -> None:
    _backend, result = short_run
    now = result["metrics"]["overall"]
    for metric, floor in FLOOR.items():
        assert now[metric] >= floor, f"{metric}: {now[metric]} < {floor}"
    assert now["zero_result_rate"] <= 0.01
