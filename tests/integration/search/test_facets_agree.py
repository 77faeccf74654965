"""Facets agree with filters (issue 15, point 7): a count shown next to an option is what choosing it gives.

A property over random combinations of the citizen's filters, through the public API, on the
judged corpus (1,091 offers), on every backend available. For each facet whose own filter is not
chosen, every value it announces is applied, and the search must find exactly that many offers.
Statuses (entitlement per region), schemes with a status (only the status's schemes can be
chosen), regions (online offers stay) and words relaxed away (decided over the whole index, not
within the filters) are where counts disagreed before.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relevance

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # the fixture's repr

# facet -> the API parameter that chooses one of its values
FACET_PARAMETER = {
    "statuses": "status",
    "schemes": "scheme",
    "regions": "region",
    "eqf": "eqf",
    "kind": "kind",
    "languages": "language",
    "free": "free",
    "online": "online",
}


@pytest.fixture(scope="module", params=["embedded", "meilisearch"])
def register(request: pytest.FixtureRequest) -> Iterator[relevance.Register]:
    if request.param not in relevance.backends():
        pytest.skip("ILA_MEILI_URL is not set: the Meilisearch half of the facet property skipped")
    corpus, _queries = relevance.load_judged(short=True)
    work = Path(tempfile.mkdtemp(prefix="ila-facets-"))
    try:
        with relevance.build_register(request.param, work, corpus) as built:
            yield built
    finally:
        shutil.rmtree(work, ignore_errors=True)


filters = st.fixed_dictionaries(
    {},
    optional={
        # single words, and sentences where relaxation drops words (which must not depend on the filters)
        "q": st.sampled_from(
            [
                "boekhouding",
                "lassen",
                "excel",
                "Pflege",
                "cuisine",
                "opleiding lassen",
                "lassen koken",
                "lasser in gent",
            ]
        ),
        "status": st.sampled_from(["employee", "jobseeker", "self-employed"]),
        "region": st.sampled_from(["BE1", "BE2", "BE3", "BE25", "BE33", "BE35"]),
        "kind": st.sampled_from(["training", "guidance", "validation"]),
        "language": st.sampled_from(["nl", "fr", "de"]),
        "free": st.sampled_from(["true", "false"]),
        "online": st.sampled_from(["true", "false"]),
        "near_postcode": st.sampled_from(["9000", "4000", "1000"]),
    },
)


def _search(register: relevance.Register, params: dict[str, Any]) -> dict[str, Any]:
    response = register.http.get("/api/v1/search", params=params | {"per_page": 20})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=filters)
def test_every_facet_count_is_what_choosing_it_gives(register: relevance.Register, chosen: dict[str, str]) -> None:
    if "near_postcode" in chosen:
        chosen = chosen | {"radius_km": "30"}
    open_facets = [f for f, parameter in FACET_PARAMETER.items() if parameter not in chosen]
    if not open_facets:
        return
    announced: dict[str, dict[str, int]] = {}
    for start in range(0, len(open_facets), 6):  # at most 6 facets per search
        asked = open_facets[start : start + 6]
        announced |= _search(register, chosen | {"facets": ",".join(asked)})["facets"]
    for facet in open_facets:
        for value, count in announced.get(facet, {}).items():
            applied = _search(register, chosen | {FACET_PARAMETER[facet]: value})
            assert applied["total"] == count, f"{chosen} {facet}={value}: announced {count}, gives {applied['total']}"
