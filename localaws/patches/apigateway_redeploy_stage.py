"""A new deployment of an existing API Gateway stage keeps the stage's settings.

moto behaviour covered: `moto.apigateway.models.RestAPI.create_deployment` replaces an existing
stage with a fresh `Stage`, dropping its method settings (throttling) and X-Ray tracing, and
`APIGatewayResponse.create_deployment` ignores `tracingEnabled`. On AWS a deployment only moves
the stage to the new snapshot; its settings stay, and `tracingEnabled` applies to a stage the
deployment creates. `chalice deploy` redeploys the stage on every run (with `tracingEnabled` from
its `xray` setting), so without this the throttling `deploy.sh` sets would vanish on each
redeploy, and tracing would never be on. We keep the existing stage object, point it at the new
deployment, and honour `tracingEnabled` for stages a deployment creates.
"""

from __future__ import annotations

import functools
from typing import Any

from moto.apigateway.models import RestAPI
from moto.apigateway.responses import APIGatewayResponse

from localaws.patches._patching import original, replace_attribute


def apply() -> None:
    replace_attribute(
        RestAPI, "create_deployment", _keeping_stage(original(RestAPI, "create_deployment"))
    )
    replace_attribute(
        APIGatewayResponse,
        "create_deployment",
        _with_tracing(original(APIGatewayResponse, "create_deployment")),
    )


def _keeping_stage(create: Any) -> Any:
    @functools.wraps(create)
    def create_deployment(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        existing = self.stages.get(name) if name else None
        deployment = create(self, name, *args, **kwargs)
        if existing is not None:
            existing.deployment_id = deployment.id
            self.stages[name] = existing
        return deployment

    return create_deployment


def _with_tracing(respond: Any) -> Any:
    @functools.wraps(respond)
    def create_deployment(self: Any) -> Any:
        api_id = self.path.replace("/restapis/", "", 1).split("/")[0]
        name = self._get_param("stageName")
        api = self.backend.get_rest_api(api_id)
        is_new_stage = bool(name) and name not in api.stages
        response = respond(self)
        if is_new_stage and self._get_param("tracingEnabled"):
            api.stages[name].tracing_enabled = True
        return response

    return create_deployment
