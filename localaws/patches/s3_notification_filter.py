"""Accept S3 notification filter rules named "Prefix"/"Suffix", as AWS does.

moto behaviour covered: `moto.s3.responses.S3Response._notification_config_from_body` asserts
that a `FilterRule` `Name` is exactly "prefix" or "suffix" (MalformedXML otherwise), and
`FakeNotification._key_matches` compares them in lower case. AWS treats the name
case-insensitively, and `chalice deploy` (`@app.on_s3_event(prefix=...)`) sends "Prefix". We
lower-case the rule names in the request body before moto parses it.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from moto.s3.responses import S3Response

from localaws.patches._patching import original, replace_attribute

_RULE_NAME = re.compile(rb"<Name>\s*(prefix|suffix)\s*</Name>", re.IGNORECASE)


def apply() -> None:
    moto_method = original(S3Response, "_notification_config_from_body")

    @functools.wraps(moto_method)
    def parse_with_any_case(self: S3Response) -> Any:
        self.body = lower_case_rule_names(self.body)
        return moto_method(self)

    replace_attribute(S3Response, "_notification_config_from_body", parse_with_any_case)


def lower_case_rule_names(body: bytes | str) -> bytes | str:
    if isinstance(body, str):
        return lower_case_rule_names(body.encode()).decode()  # type: ignore[union-attr]
    return _RULE_NAME.sub(lambda m: b"<Name>" + m.group(1).lower() + b"</Name>", body)
