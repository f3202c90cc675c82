"""The words in the real workflow: the item they name, fusion with the photo, real records."""

from __future__ import annotations

import os
from pathlib import Path

from tests.integration.smartre.conftest import SmartRe


def test_words_alone_name_the_item_and_bring_real_records(smartre: SmartRe) -> None:
    reply = smartre.analyse(
        {"description": "Mijn waterkoker slaat niet meer aan", "language": "nl"}
    )

    assert reply.status == 201, reply.data
    analysis = reply.json
    assert analysis["productCategory"] is None  # no photo
    assert analysis["categoryFromText"]["label"] == "Kettle"
    assert len(analysis["categoryFromText"]["top3"]) == 3
    assert "probabilities" not in analysis["categoryFromText"]
    similar = analysis["similarRepairs"]
    assert similar["category"] == "Kettle"
    assert 1 <= len(similar["records"]) <= 5
    assert similar["records"][0]["category"] == "Kettle"
    assert "CC BY-SA 4.0" in similar["attribution"]
    assert analysis["modelVersions"]["textCategory"].startswith("text-category-")


def test_a_recognised_photo_and_agreeing_words_are_fused(smartre: SmartRe, photos: Path) -> None:
    laptop = photos / "laptop" / sorted(os.listdir(photos / "laptop"))[0]
    image_id = smartre.upload_photo(laptop.read_bytes())

    reply = smartre.analyse(
        {"imageId": image_id, "description": "My laptop does not charge", "language": "en"}
    )

    assert reply.status == 201, reply.data
    assert reply.json["categoryFromText"]["label"] == "Laptop"
    # Fused when the photo is recognised, the words alone when it is not: either way a laptop
    assert reply.json["similarRepairs"]["category"] == "Laptop"
    assert "Laptop" in [c["label"] for c in reply.json["productCategory"]["top3"]]
    assert reply.json["similarRepairs"]["records"]
