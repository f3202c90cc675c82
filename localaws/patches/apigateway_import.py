"""Accept the Swagger 2.0 documents `chalice deploy` sends to ImportRestApi / PutRestApi.

moto behaviour covered: `moto.apigateway.models.APIGatewayBackend.import_rest_api` reads
`info.description` unconditionally (Chalice's document has no description: KeyError, HTTP 500),
`put_rest_api` (which import also calls) rejects anything but OpenAPI 3 ("swagger": "2.0" is what
Chalice and API Gateway itself accept), and `put_integration` needs a `uri` and an `httpMethod`,
which mock integrations (Chalice's CORS preflight) do not have. We normalise the document before
moto sees it: a default description, the version label moto wants (moto reads only `paths` and
the `x-amazon-apigateway-integration` blocks, which are the same in both versions), and empty
`uri`/`httpMethod` on integrations without them. Nothing is served from the result: moto does not
emulate execute-api, HTTP runs through `chalice local`.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from moto.apigateway.models import APIGatewayBackend

from localaws.patches._patching import original, replace_attribute

INTEGRATION = "x-amazon-apigateway-integration"


def apply() -> None:
    for name in ("import_rest_api", "put_rest_api"):
        replace_attribute(APIGatewayBackend, name, _accepting_swagger(name))


def normalise(api_doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of `api_doc` in the form moto's importer understands."""
    doc = copy.deepcopy(api_doc)
    doc.setdefault("info", {}).setdefault("description", "")
    if "swagger" in doc:
        doc.pop("swagger")
        doc["openapi"] = "3.0.1"
    for resource in (doc.get("paths") or {}).values():
        for method in resource.values():
            if isinstance(method, dict) and isinstance(method.get(INTEGRATION), dict):
                method[INTEGRATION].setdefault("uri", "")
                method[INTEGRATION].setdefault("httpMethod", "")
    return doc


def _accepting_swagger(name: str) -> Any:
    moto_method = original(APIGatewayBackend, name)

    @functools.wraps(moto_method)
    def method(self: APIGatewayBackend, *args: Any, **kwargs: Any) -> Any:
        # import_rest_api(api_doc, ...) and put_rest_api(function_id, api_doc, ...)
        position = 0 if name == "import_rest_api" else 1
        if "api_doc" in kwargs:
            kwargs["api_doc"] = normalise(kwargs["api_doc"])
        elif len(args) > position:
            args = (*args[:position], normalise(args[position]), *args[position + 1 :])
        return moto_method(self, *args, **kwargs)

    return method
