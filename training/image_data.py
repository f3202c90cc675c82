"""Which photos exist, which category each belongs to, and the fixed train/test split.

The folder -> category map is the one in issue 3. The split is decided by a hash of the file path,
so it never changes between runs or machines: a quarter of each Caltech folder and half of the
clothing `validation/` folder are held out for the final measurement and never used for training or
tuning the evaluation model.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

CALTECH_TO_CATEGORY = {
    "laptop": "Laptop",
    "cellphone": "Mobile",
    "camera": "Digital compact camera",
    "headphone": "Headphones",
    "watch": "Watch/clock",
    "metronome": "Watch/clock",
    "lamp": "Lamp",
    "chandelier": "Lamp",
    "ceiling_fan": "Fan",
    "gramophone": "Hi-Fi separates",
    "electric_guitar": "Musical instrument",
    "grand_piano": "Musical instrument",
    "accordion": "Musical instrument",
    "mandolin": "Musical instrument",
    "saxophone": "Musical instrument",
    "chair": "Unpowered - Furniture",
    "windsor_chair": "Unpowered - Furniture",
    "wheelchair": "Unpowered - Furniture",
    "umbrella": "Unpowered - Household",
    "scissors": "Unpowered - Household",
    "stapler": "Unpowered - Household",
    "wrench": "Unpowered - Household",
    "binocular": "Unpowered - Household",
    "inline_skate": "Unpowered - Household",
    "cup": "Unpowered - Household",
}
TEXTILE = "Unpowered - Textile"
LABELS = tuple(sorted({*CALTECH_TO_CATEGORY.values(), TEXTILE}))
CALTECH_DIR = "caltech101_repair_subset"
CLOTHING_DIR = "clothing_dataset_small_subset"


@dataclass(frozen=True)
class Photo:
    path: Path
    source: str  # "caltech" or "clothing"
    folder: str  # the fine class, e.g. "caltech/laptop"
    label: str
    held_out: bool


def _fraction(key: str) -> float:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 2**32


def list_photos(data_dir: Path) -> list[Photo]:
    photos = []
    caltech = data_dir / CALTECH_DIR
    for line in (caltech / "train.txt").read_text(encoding="utf-8").split():
        name = line.split("/")[0]
        photos.append(
            Photo(
                path=caltech / "101_ObjectCategories" / line,
                source="caltech",
                folder=f"caltech/{name}",
                label=CALTECH_TO_CATEGORY[name],
                held_out=_fraction(line) < 0.25,
            )
        )
    clothing = data_dir / CLOTHING_DIR
    for split in ("train", "validation"):
        for path in sorted((clothing / split).glob("*/*.jpg")):
            key = f"{split}/{path.parent.name}/{path.name}"
            photos.append(
                Photo(
                    path=path,
                    source="clothing",
                    folder=f"clothing/{path.parent.name}",
                    label=TEXTILE,
                    held_out=split == "validation" and _fraction(key) < 0.5,
                )
            )
    return photos
