"""The unit prices of ``infra/prices.json``: the only place the estimate takes a price from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRICES_FILE = Path(__file__).resolve().parent.parent / "prices.json"


@dataclass(frozen=True)
class Prices:
    document: dict[str, Any]

    @classmethod
    def load(cls, path: Path = PRICES_FILE) -> Prices:
        return cls(json.loads(path.read_text()))

    def __call__(self, service: str, item: str) -> float:
        try:
            return float(self.document[service][item])
        except KeyError:
            raise KeyError(f"{item!r} of {service!r} is missing from prices.json") from None

    @property
    def about(self) -> dict[str, Any]:
        about: dict[str, Any] = self.document["about"]
        return about

    @property
    def eur_per_usd(self) -> float:
        return float(self.about["exchange_rate"]["eur_per_usd"])

    def sources(self) -> dict[str, str]:
        return {
            name: str(section["source"])
            for name, section in self.document.items()
            if isinstance(section, dict) and "source" in section
        }
