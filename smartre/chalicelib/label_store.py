"""The labels table: each feedback label and, beside them, this deployment's outcome counts.

A label and the counts it adds are one all-or-nothing write: the label's create-once condition
makes a retried label count once, and the counts use ``ADD`` so concurrent labels never lose
each other's increments. The counts live in one item of the same table (``COUNTS_KEY``; it has no
``kind``, so the by-kind index of labels never lists it), read with one consistent ``GetItem``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from repaircore.errors import Conflict, TransactionConflict
from repaircore.tables import Table, transact_write

COUNTS_KEY = {"analysisId": "#adaptation", "labelId": "outcome-counts"}


class LabelStore:
    def __init__(self, client: Any, table: Table) -> None:
        self._client = client
        self.table = table

    def add(self, label: Mapping[str, Any], increments: Mapping[str, float]) -> None:
        """Store ``label`` once and add ``increments`` to the counts, atomically."""
        if not increments:
            self.table.put(label, if_absent=True)
            return
        operations = [
            {"Put": self.table.put_request(label, if_absent=True)},
            {"Update": self.table.add_request(COUNTS_KEY, increments)},
        ]
        try:
            transact_write(self._client, operations)
        except TransactionConflict as exc:
            raise Conflict("the label already exists", code="AlreadyExists") from exc

    def counts(self) -> dict[str, Any]:
        """The raw counts item (attribute name -> number); empty before the first label."""
        item = self.table.find(COUNTS_KEY) or {}
        return {k: v for k, v in item.items() if k not in COUNTS_KEY}
