"""UpdateBudget for AWS Budgets.

moto behaviour covered: `moto.budgets.responses.BudgetsResponse` has no `update_budget` (500),
so changing the amount or currency of an existing budget (`BUDGET_AMOUNT=60 ./deploy.sh dev`)
cannot run against the emulator. We add it: the stored budget takes the new definition's fields
and keeps its notifications, as AWS does.
"""

from __future__ import annotations

import json
from typing import Any

from moto.budgets.exceptions import NotFoundException
from moto.budgets.models import BudgetsBackend
from moto.budgets.responses import BudgetsResponse
from moto.core.utils import unix_time

from localaws.patches._patching import replace_attribute


def apply() -> None:
    replace_attribute(BudgetsBackend, "update_budget", _backend_update_budget, must_exist=False)
    replace_attribute(BudgetsResponse, "update_budget", _update_budget, must_exist=False)


def _backend_update_budget(self: BudgetsBackend, account_id: str, new_budget: Any) -> None:
    name = new_budget["BudgetName"]
    if name not in self.budgets[account_id]:
        raise NotFoundException(f"Unable to update budget: {name} - the budget doesn't exist.")
    stored = self.budgets[account_id][name].budget
    stored.update(new_budget)
    stored["LastUpdatedTime"] = unix_time()


def _update_budget(self: Any) -> str:
    self.backend.update_budget(self._get_param("AccountId"), self._get_param("NewBudget"))
    return json.dumps({})
