"""Keep the distribution fields that attach an Origin Access Control and a CloudFront Function.

moto behaviour covered: `moto.cloudfront.models.Origin` reads `S3OriginConfig` only for an origin
access identity and drops `OriginAccessControlId`, and `DefaultCacheBehaviour` (the base of
`CacheBehaviour`) hard-codes `FunctionAssociations` to `{"Quantity": 0}`. GetDistributionConfig
then answers with a config the deploy never sent: the distribution would look private-bucket-less
and function-less, and `deploy.sh`, which updates a distribution only when it differs from the
wanted config, would update it on every run. We keep the three fields as sent, after moto's own
constructors.
"""

from __future__ import annotations

import functools
from typing import Any

from moto.cloudfront.models import DefaultCacheBehaviour, Origin

from localaws.patches._patching import original, replace_attribute


def apply() -> None:
    replace_attribute(Origin, "__init__", _origin_init(original(Origin, "__init__")))
    replace_attribute(
        DefaultCacheBehaviour,
        "__init__",
        _behaviour_init(original(DefaultCacheBehaviour, "__init__")),
    )


def _origin_init(init: Any) -> Any:
    @functools.wraps(init)
    def keeping_access_control(self: Any, origin: dict[str, Any]) -> None:
        init(self, origin)
        if "S3OriginConfig" in origin:
            self.s3_origin_config = origin["S3OriginConfig"]
        self.origin_access_control_id = origin.get("OriginAccessControlId") or ""

    return keeping_access_control


def _behaviour_init(init: Any) -> Any:
    @functools.wraps(init)
    def keeping_functions(self: Any, config: dict[str, Any]) -> None:
        init(self, config)
        associations = config.get("FunctionAssociations") or {}
        items = associations.get("Items") or []
        kept: dict[str, Any] = {"Quantity": len(items)}
        if items:
            kept["Items"] = items
        self.function_associations = kept

    return keeping_functions
