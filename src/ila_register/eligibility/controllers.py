"""HTTP endpoints for eligibility decisions and the published schemes."""

from __future__ import annotations

import uuid

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, RequestBody
from litestar.status_codes import HTTP_200_OK

from ila_register.lib.auth import Principal
from ila_register.lib.http import Document
from ila_register.lib.openapi import WRITES, problems
from ila_register.offers import schemas
from ila_register.runtime import Runtime


class DecisionController(Controller):
    path = "/api/v1/offers/{offer_id:uuid}/decisions"
    tags = ["Eligibility"]

    @post(
        dto=Document[schemas.DecisionCreate],
        return_dto=None,
        status_code=HTTP_200_OK,
        sync_to_thread=True,
        responses=problems(*WRITES, 404, 409),
    )
    def decide(
        self,
        offer_id: FromPath[uuid.UUID],
        data: RequestBody[schemas.DecisionCreate],
        principal: NamedDependency[Principal],
        runtime: NamedDependency[Runtime],
    ) -> schemas.SchemeEligibility:
        """Decide whether an offer is eligible for a scheme (reviewers and administrators).

        `rejected` and `in-review` (reopening) need a reason; `eligible` is refused while a rule fails.
        """
        status = runtime.eligibility.decide(principal, offer_id, data.scheme, data.decision, data.reason)
        runtime.changed()
        return schemas.eligibility_of([status])[0]
