"""The gateway responses ``deploy.sh`` installs: the table lives in ``repaircore.gateway_responses``
so that each app's ``chalice local`` answers with the same bodies (``repaircore.local_gateway``)."""

from repaircore.gateway_responses import GATEWAY_RESPONSES, GatewayResponse

__all__ = ["GATEWAY_RESPONSES", "GatewayResponse"]
