"""The Open Repair Data Standard vocabulary: the domain language of APIs, tables and the UI.

Source: Open Repair Alliance, Open Repair Data v0.3 (CC BY-SA 4.0, openrepair.org), files
``aggregated/202507/OpenRepairData_v0.3_Product_Categories.csv`` (the 40 powered categories, ids
1-40), ``OpenRepairData_v0.3_unpowered_202507.csv`` (unpowered categories) and the partner
``tableschema.json`` enums (repair status, barriers). Keeping these as constants lets records
export to the Open Repair Alliance format unchanged; a test checks them against the data files.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

# The 40 powered product categories, in ORDS id order (id = position + 1).
PRODUCT_CATEGORIES: Final[tuple[str, ...]] = (
    "Aircon/dehumidifier",
    "Battery/charger/adapter",
    "Decorative or safety lights",
    "Desktop computer",
    "Digital compact camera",
    "DSLR/video camera",
    "Fan",
    "Flat screen",
    "Hair & beauty item",
    "Handheld entertainment device",
    "Headphones",
    "Hi-Fi integrated",
    "Hi-Fi separates",
    "Kettle",
    "Lamp",
    "Laptop",
    "Large home electrical",
    "Misc",
    "Mobile",
    "Musical instrument",
    "Paper shredder",
    "PC accessory",
    "Portable radio",
    "Power tool",
    "Printer/scanner",
    "Projector",
    "Sewing machine",
    "Small home electrical",
    "Small kitchen item",
    "Tablet",
    "Toaster",
    "Toy",
    "TV and gaming-related accessories",
    "Vacuum",
    "Watch/clock",
    "Coffee maker",
    "Food processor",
    "Games console",
    "Hair dryer",
    "Iron",
)

# Unpowered categories (ORDS v0.3 aggregate); they have no numeric id in the standard.
UNPOWERED_CATEGORIES: Final[tuple[str, ...]] = (
    "Unpowered - Bicycle",
    "Unpowered - Furniture",
    "Unpowered - Household",
    "Unpowered - Jewellery",
    "Unpowered - Textile",
    "Unpowered - Other",
)

ALL_CATEGORIES: Final[tuple[str, ...]] = PRODUCT_CATEGORIES + UNPOWERED_CATEGORIES
_CATEGORY_BY_FOLDED_NAME: Final[dict[str, str]] = {c.casefold(): c for c in ALL_CATEGORIES}


def category_id(category: str) -> int | None:
    """The ORDS ``product_category_id`` (1-40), or None for unpowered categories."""
    try:
        return PRODUCT_CATEGORIES.index(category) + 1
    except ValueError:
        return None


def canonical_category(name: str) -> str | None:
    """The category spelled as in the standard, matching case-insensitively; None if unknown."""
    return _CATEGORY_BY_FOLDED_NAME.get(name.strip().casefold())


class RepairOutcome(StrEnum):
    """ORDS ``repair_status`` values a repair can end with (the data also has ``Unknown``)."""

    FIXED = "Fixed"
    REPAIRABLE = "Repairable"
    END_OF_LIFE = "End of life"


REPAIR_OUTCOMES: Final[tuple[str, ...]] = tuple(o.value for o in RepairOutcome)
UNKNOWN_STATUS: Final = "Unknown"


class RepairBarrier(StrEnum):
    """ORDS ``repair_barrier_if_end_of_life`` values."""

    SPARE_PARTS_NOT_AVAILABLE = "Spare parts not available"
    SPARE_PARTS_TOO_EXPENSIVE = "Spare parts too expensive"
    NO_WAY_TO_OPEN = "No way to open product"
    REPAIR_INFORMATION_NOT_AVAILABLE = "Repair information not available"
    LACK_OF_EQUIPMENT = "Lack of equipment"
    TOO_WORN_OUT = "Too worn out"


REPAIR_BARRIERS: Final[tuple[str, ...]] = tuple(b.value for b in RepairBarrier)

# Spellings the partner data uses for the schema's barriers: "No way to open the product"
# (Repair Cafe Wales) and "Item too worn out" (the 2025 partner files; the schema's enum says
# "Too worn out").
_BARRIER_ALIASES: Final[dict[str, str]] = {
    "no way to open the product": RepairBarrier.NO_WAY_TO_OPEN.value,
    "item too worn out": RepairBarrier.TOO_WORN_OUT.value,
}


def canonical_barrier(name: str) -> str | None:
    """The barrier spelled as in the standard (merging known variants); None if unknown."""
    folded = " ".join(name.split()).casefold()
    for barrier in REPAIR_BARRIERS:
        if barrier.casefold() == folded:
            return barrier
    return _BARRIER_ALIASES.get(folded)


# The languages the product speaks (UI and safety advice).
LANGUAGES: Final[tuple[str, ...]] = ("nl", "fr", "en", "de")

# The categories SmartRe's photo model can recognise (the licensed photos cover only these);
# everything else is "not recognised" and the person picks the category.
PHOTO_CATEGORIES: Final[tuple[str, ...]] = (
    "Laptop",
    "Mobile",
    "Digital compact camera",
    "Headphones",
    "Watch/clock",
    "Lamp",
    "Fan",
    "Hi-Fi separates",
    "Musical instrument",
    "Unpowered - Furniture",
    "Unpowered - Household",
    "Unpowered - Textile",
)
