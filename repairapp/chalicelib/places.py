"""Belgian postcodes as points, and the distance between two of them.

The points are the postcode centroids in ``data/be_postcodes.json`` (1,145 codes, from the pinned
``countrystatecity-postal-codes`` package, ODbL 1.0; ``scripts/belgian_postcodes.py`` writes it).
A centroid stands for a whole postcode area (a few km across in the countryside), so a distance
between two of them is good to a few km: enough to sort repair cafés by how far away they are.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from repaircore.errors import InvalidInput

POSTCODES_FILE = Path(__file__).resolve().parent / "data" / "be_postcodes.json"
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)

Point = tuple[float, float]


@functools.cache
def _points() -> dict[str, Point]:
    table = json.loads(POSTCODES_FILE.read_text(encoding="utf-8"))
    return {code: (float(lat), float(lon)) for code, (lat, lon) in table["postcodes"].items()}


def point_of(postcode: str) -> Point:
    """The postcode's centroid; ``400 InvalidPostcode`` if it is not a Belgian postcode."""
    point = _points().get(postcode.strip()) if isinstance(postcode, str) else None
    if point is None:
        raise InvalidInput(
            f"{str(postcode)[:10]!r} is not a Belgian postcode we know", code="InvalidPostcode"
        )
    return point


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance on the mean Earth sphere."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
