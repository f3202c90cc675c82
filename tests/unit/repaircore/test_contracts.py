"""The declared bodies: each failure keeps the Code clients have always seen, and RepairApp's
triage is SmartRe's analysis request with stricter rules, not a second copy."""

from __future__ import annotations

from typing import Any

import pytest

from repaircore.contracts.analyses import AnalysisRequest, TriageRequest, UploadRequest
from repaircore.contracts.repairapp import RepairRequest, RepairUpdate
from repaircore.errors import InvalidInput
from repaircore.openapi import schemas
from repaircore.validation import decode

IMAGE_ID = "img_" + "a" * 22
CONTACT = {"name": "Mira", "email": "mira@example.be"}


@pytest.mark.parametrize(
    ("body", "model", "code"),
    [
        ({"description": "kettle leaks", "colour": "red"}, AnalysisRequest, "UnknownField"),
        # null and blank mean absent only for declared fields (found by the fuzzer: {"": null})
        ({"": None}, UploadRequest, "UnknownField"),
        ({"colour": ""}, UploadRequest, "UnknownField"),
        ({"language": "en"}, TriageRequest, "MissingField"),
        ({"description": 42}, AnalysisRequest, "InvalidType"),
        ({"productAgeYears": True}, AnalysisRequest, "InvalidType"),
        ({"description": "x" * 2001}, AnalysisRequest, "TooLong"),
        ({"description": "   hi   "}, AnalysisRequest, "TooShort"),
        ({"productAgeYears": 101}, AnalysisRequest, "OutOfRange"),
        ({"imageId": "img_short"}, AnalysisRequest, "InvalidImageId"),
        ({"imageId": "x" * 35}, AnalysisRequest, "InvalidImageId"),
        ({"language": "es"}, AnalysisRequest, "UnknownLanguage"),
        ({"contentType": "image/gif"}, UploadRequest, "UnsupportedImageType"),
        ({"contact": {**CONTACT, "phone": "1"}}, RepairRequest, "UnknownField"),
        ({"status": "lost"}, RepairUpdate, "UnknownStatus"),
    ],
)
def test_each_failure_is_a_400_with_the_code_clients_know(
    body: dict[str, Any], model: type[Any], code: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode(body, model)

    assert (caught.value.status, caught.value.code) == (400, code)


def test_a_nested_failure_names_the_field_by_its_path() -> None:
    with pytest.raises(InvalidInput) as caught:
        decode({"contact": {"email": "mira@example.be"}}, RepairRequest)

    assert caught.value.code == "MissingField"
    assert caught.value.message.startswith("contact.name")


def test_null_and_blank_mean_absent_and_text_is_cleaned() -> None:
    request = decode(
        {"imageId": None, "brand": "  ", "description": "  the\tlid\nbroke  ", "language": ""},
        AnalysisRequest,
    )

    assert request.image_id is None
    assert request.brand is None
    assert request.description == "the lid broke"
    assert request.language == "en"


def test_the_length_limit_applies_to_the_text_as_sent() -> None:
    with pytest.raises(InvalidInput) as caught:
        decode({"description": "a" + " " * 2000 + "b"}, AnalysisRequest)

    assert caught.value.code == "TooLong"


def test_triage_is_the_analysis_request_with_stricter_rules() -> None:
    assert issubclass(TriageRequest, AnalysisRequest)
    assert set(TriageRequest.__struct_fields__) == set(AnalysisRequest.__struct_fields__)
    assert decode({"description": "kettle leaks"}, AnalysisRequest).language == "en"
    with pytest.raises(InvalidInput) as caught:
        decode({"description": "kettle leaks"}, TriageRequest)
    assert caught.value.code == "MissingField"


def test_a_request_schema_documents_null_and_blank_as_absent() -> None:
    brand = schemas(AnalysisRequest)["AnalysisRequest"]["properties"]["brand"]

    assert {"type": "null"} in brand["anyOf"]
    assert {"const": ""} in brand["anyOf"]
    assert {"type": "string", "maxLength": 100} in brand["anyOf"]
