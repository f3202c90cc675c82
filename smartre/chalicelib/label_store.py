"""The labels table: each feedback label and, beside them, this deployment's outcome counts.

A label and the counts it adds are one all-or-nothing write: the label's create-once condition
makes a retried label count once, and the counts use ``ADD`` so concurrent labels never lose
each other's increments. The counts live in one item of the same table (``COUNTS_KEY``; it has no
``kind``, so the by-kind index of labels never lists it), read with one consistent ``GetItem``.

A container may keep the counts it read for a few seconds (``counts(max_age=...)``): reading
them before every analysis costs a round trip, and a label is seen by every container at most
``max_age`` seconds late (this container's own writes are seen at once).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from repaircore.errors import Conflict, TransactionConflict
from repaircore.tables import Table, transact_write

COUNTS_KEY = {"analysisId": "#adaptation", "labelId": "outcome-counts"}
STATE_MAX_AGE_SECONDS = 2.0
"""How long `assess_repair`'s container reuses the counts it read. Labels come when repairs
close, minutes apart: an analysis started more than this long after a label uses it, and a
container serving a burst of analyses reads the counts once per period, not once per analysis."""


class LabelStore:
    def __init__(
        self, client: Any, table: Table, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._client = client
        self.table = table
        self._clock = clock
        self._cached: tuple[float, dict[str, Any]] | None = None

    def add(self, label: Mapping[str, Any], increments: Mapping[str, float]) -> None:
        """Store ``label`` once and add ``increments`` to the counts, atomically."""
        self._cached = None
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

    def counts(self, max_age: float = 0.0) -> dict[str, Any]:
        """The raw counts item (attribute name -> number); empty before the first label.

        With ``max_age`` (seconds), counts this store read less than that long ago are reused.
        """
        started = self._clock()
        if self._cached is not None and started - self._cached[0] < max_age:
            return dict(self._cached[1])
        item = self.table.find(COUNTS_KEY) or {}
        counts = {k: v for k, v in item.items() if k not in COUNTS_KEY}
        # Timed from before the read: the age never understates how stale the counts may be.
        self._cached = (started, counts)
        return dict(counts)
