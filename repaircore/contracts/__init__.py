"""Every request and answer body of both APIs, declared once as msgspec Structs.

``repaircore.validation.decode`` checks a request body against its declaration (and maps the
failure to a ``{Code, Message}`` 400); ``repaircore.openapi.schemas`` turns the declarations into
the components of both OpenAPI documents, and the SPA's types are generated from RepairApp's
document. Adding a field is one line here (see docs/architecture.md, "How to add a field").

Conventions: Python names are snake_case, JSON names camelCase (``rename="camel"``); request
bodies derive from ``Request`` (unknown fields refused, null and blank mean absent); answers
derive from ``Answer`` (extra fields allowed, so a newer server does not break an older client).

Requests live in ``analyses``, ``smartre`` and ``repairapp``, the modules the Lambdas import to
decode; every answer lives in ``answers``, which only the OpenAPI generation and the tests import,
so a cold start builds the ~15 request Structs and not the ~45 answer ones.
"""
