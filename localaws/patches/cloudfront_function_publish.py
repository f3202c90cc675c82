"""PublishFunction and UpdateFunction for CloudFront Functions, and their LIVE stage.

moto behaviour covered: `moto.cloudfront` implements Create/Describe/Get/List/DeleteFunction but
has no route for PublishFunction (404) and no handler for UpdateFunction (500), and it ignores the
`Stage` parameter, so no function ever reaches LIVE. On AWS a distribution can only run a
published function, so `deploy.sh` publishes after each create or change and checks the LIVE code
to decide whether anything changed. We add the route and both handlers, keep the published code
and config beside the development copy, and answer `Stage=LIVE` from the published copy
(NoSuchFunctionExists before the first publish, as AWS does).
"""

from __future__ import annotations

import functools
from typing import Any

import moto.cloudfront.urls as cloudfront_urls
from moto.cloudfront.exceptions import InvalidIfMatchVersion, NoSuchFunctionExists
from moto.cloudfront.models import random_id
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

from localaws.patches._patching import original, replace_attribute

PUBLISH_PATH = "{0}/2020-05-31/function/(?P<function_name>[^/]+)/publish$"
LIVE = "LIVE"


def apply() -> None:
    paths = dict(original(cloudfront_urls, "url_paths"))
    paths[PUBLISH_PATH] = CloudFrontResponse.dispatch
    replace_attribute(cloudfront_urls, "url_paths", paths)
    replace_attribute(CloudFrontResponse, "publish_function", _publish_function, must_exist=False)
    replace_attribute(CloudFrontResponse, "update_function", _update_function, must_exist=False)
    for name in ("describe_function", "get_function"):
        replace_attribute(
            CloudFrontResponse, name, _live_aware(name, original(CloudFrontResponse, name))
        )


def live_summary(function: Any) -> dict[str, Any]:
    summary = function.function_summary
    return {
        **summary,
        "Status": "UNASSOCIATED",
        "FunctionConfig": function.live_config,
        "FunctionMetadata": {**summary["FunctionMetadata"], "Stage": LIVE},
    }


def _checked(response: CloudFrontResponse) -> Any:
    name = response._get_param("Name")
    function = response.backend.describe_function(name=name)
    if not response._get_param("IfMatch"):
        raise InvalidIfMatchVersion
    return function


def _publish_function(self: CloudFrontResponse) -> ActionResult:
    function = _checked(self)
    function.live_code = function.code
    function.live_config = dict(function.config)
    function.status = "UNASSOCIATED"
    return ActionResult({"FunctionSummary": live_summary(function)})


def _update_function(self: CloudFrontResponse) -> ActionResult:
    function = _checked(self)
    function.config = self._get_param("FunctionConfig", {})
    function.code = self._get_param("FunctionCode")
    function.last_modified_time = utcnow()
    function.etag = random_id()
    return ActionResult({"FunctionSummary": function.function_summary, "ETag": function.etag})


def _live_aware(name: str, moto_method: Any) -> Any:
    @functools.wraps(moto_method)
    def method(self: CloudFrontResponse) -> ActionResult:
        if self._get_param("Stage") != LIVE:
            result: ActionResult = moto_method(self)
            return result
        function_name = self._get_param("Name")
        function: Any = self.backend.describe_function(name=function_name)
        if not hasattr(function, "live_code"):
            raise NoSuchFunctionExists(function_name)
        if name == "get_function":
            return ActionResult(
                {
                    "FunctionCode": function.live_code,
                    "ETag": function.etag,
                    "ContentType": "application/octet-stream",
                }
            )
        return ActionResult({"FunctionSummary": live_summary(function), "ETag": function.etag})

    return method
