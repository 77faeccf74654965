"""The judged relevance benchmark's short set runs, and relevance is no worse than the recorded baseline.

The bar is the baseline recorded before issue 15 (benchmarks/relevance/baseline.json) minus a
small tolerance: this guards against regressions; the issue-15 work raises it to the targets.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import relevance

TOLERANCE = 0.02  # of recall@20, nDCG@10 and MRR
ZERO_TOLERANCE = 0.03  # of the zero-result rate: one query of the short set more may return nothing


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
