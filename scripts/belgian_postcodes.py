"""Write repairapp/chalicelib/data/be_postcodes.json from the pinned postal-code package.

Source: ``countrystatecity-postal-codes==2.0.1`` (PyPI, pinned in requirements-dev.txt), its
``data/by-country/BE/postcodes.json``: 1,145 Belgian postcodes with one point each, from the
countries-states-cities database, Open Database License 1.0 (attribution and share-alike: the
derived table keeps the licence and the source in its header). Only the code and the point are
kept, rounded to 4 decimals (~10 m: far below the accuracy of a postcode centroid), so the
Lambda ships ~27 KB instead of the package (7 MB, and pydantic).
``.venv/bin/python scripts/belgian_postcodes.py`` rewrites the file; a unit test checks it
against the installed package.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

PACKAGE = "countrystatecity_postal_codes"
VERSION = "2.0.1"
TARGET = Path(__file__).resolve().parents[1] / "repairapp/chalicelib/data/be_postcodes.json"


def source_file() -> Path:
    # find_spec locates the package without importing it (its __init__ needs pydantic).
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"pip install {PACKAGE.replace('_', '-')}=={VERSION} first")
    return Path(next(iter(spec.submodule_search_locations))) / "data/by-country/BE/postcodes.json"


def table() -> dict[str, Any]:
    records = json.loads(source_file().read_text(encoding="utf-8"))
    points = {
        r["code"]: [round(float(r["latitude"]), 4), round(float(r["longitude"]), 4)]
        for r in records
        if r.get("countryCode") == "BE" and r.get("latitude") is not None
    }
    return {
        "source": f"{PACKAGE.replace('_', '-')}=={VERSION} (PyPI), data/by-country/BE",
        "origin": "countries-states-cities-database",
        "licence": "Open Database License (ODbL) 1.0, https://opendatacommons.org/licenses/odbl/1-0/",
        "changes": "only code -> [latitude, longitude], rounded to 4 decimals",
        "postcodes": dict(sorted(points.items())),
    }


def render() -> str:
    return json.dumps(table(), ensure_ascii=False, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
