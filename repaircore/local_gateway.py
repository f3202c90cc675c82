"""Under ``chalice local``, answer API Gateway's own refusals in the ``{Code, Message}`` shape.

``chalice local`` is Chalice's stand-in for API Gateway. Its refusals before a view runs (no such
route: 403 ``{"message": "Missing Authentication Token"}``; an authorizer's 401/403) carry API
Gateway's *default* bodies, which production replaces with gateway responses
(``repaircore.gateway_responses``, installed by ``deploy.sh``). A developer's bare
``cd smartre && chalice local --stage local`` must see what ``make run`` and AWS answer, so each
app calls ``use_gateway_responses()`` at import: it acts only when the Chalice CLI loads the app
(``AWS_CHALICE_CLI_MODE``, which Chalice sets and Lambda never does) and costs one environment
lookup otherwise. The classes it hooks must exist: a Chalice upgrade that moves them fails loudly.
"""

from __future__ import annotations

import os
from typing import Any

from repaircore.gateway_responses import GATEWAY_RESPONSES

# chalice.local exception class → the gateway response production answers instead.
_TARGETS = {
    "NotAuthorizedError": GATEWAY_RESPONSES["UNAUTHORIZED"],
    "ForbiddenError": GATEWAY_RESPONSES["ACCESS_DENIED"],
}
_MARK = "_repaircore_gateway_response"


def use_gateway_responses(environ: dict[str, str] | None = None) -> bool:
    """Install the bodies when running under the Chalice CLI; True when it did."""
    env = os.environ if environ is None else environ
    if env.get("AWS_CHALICE_CLI_MODE") != "true":
        return False
    import chalice.local

    for name, response in _TARGETS.items():
        owner = getattr(chalice.local, name, None)
        if not (isinstance(owner, type) and issubclass(owner, chalice.local.LocalGatewayException)):
            raise RuntimeError(f"chalice.local.{name} moved: revisit repaircore.local_gateway")
        if getattr(owner, _MARK, False):
            continue
        _replace_init(owner, response.body().encode())
    return True


def _replace_init(owner: Any, body: bytes) -> None:
    base_init = owner.__init__

    def __init__(self: Any, headers: dict[str, str], _body: bytes | None = None) -> None:  # noqa: N807
        base_init(self, {**headers, "Content-Type": "application/json"}, body)

    owner.__init__ = __init__
    setattr(owner, _MARK, True)
