"""The monthly cost budget and its two alerts: 80 % of actual spend, 100 % of the forecast.

Default 50 EUR a month (DESIGN.md decision 6); ``BUDGET_AMOUNT`` / ``BUDGET_CURRENCY`` (or the
CLI flags) change it. AWS Budgets only accepts the account's billing currency: for an account
billed in USD, creating a EUR budget fails with ``InvalidParameterException: Unable to
create/update budget - EUR is not in the supported unit set: [USD]``. That error is turned into
a message that says which currency to use instead of a stack trace. Each stage's budget counts
only the resources tagged with its stage (``stage=<stage>``, a cost allocation tag that must be
activated once per account in the billing console, docs/deploy.md); alerts go to the stage's SNS
topic (``infra.alerts``), which holds the e-mail subscriptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from botocore.exceptions import ClientError

from infra.definition import Stage
from infra.provision import Report, _code

DEFAULT_AMOUNT = Decimal("50")
DEFAULT_CURRENCY = "EUR"
ACTUAL_ALERT_PERCENT = 80.0
FORECAST_ALERT_PERCENT = 100.0
_SUPPORTED_UNITS = re.compile(r"supported unit set: \[([^\]]*)\]")


class BudgetCurrencyError(RuntimeError):
    """The account's billing currency is not the one the budget asks for."""


@dataclass(frozen=True)
class BudgetSettings:
    amount: Decimal
    currency: str

    @classmethod
    def parse(cls, amount: str | None, currency: str | None) -> BudgetSettings:
        try:
            value = Decimal(amount) if amount else DEFAULT_AMOUNT
        except InvalidOperation:
            raise ValueError(f"budget amount {amount!r} is not a number") from None
        if value <= 0:
            raise ValueError("budget amount must be positive")
        unit = (currency or DEFAULT_CURRENCY).upper()
        if not re.fullmatch(r"[A-Z]{3}", unit):
            raise ValueError(f"budget currency {currency!r} is not an ISO 4217 code like EUR")
        return cls(amount=value, currency=unit)


def budget_definition(stage: Stage, settings: BudgetSettings) -> dict[str, Any]:
    return {
        "BudgetName": stage.budget_name,
        "BudgetLimit": {"Amount": str(settings.amount), "Unit": settings.currency},
        "TimeUnit": "MONTHLY",
        "BudgetType": "COST",
        "CostFilters": cost_filters(stage),
    }


def cost_filters(stage: Stage) -> dict[str, list[str]]:
    """Only the stage's tagged resources: ``user:<key>$<value>`` is Budgets' tag filter syntax."""
    return {"TagKeyValue": [f"user:stage${stage.stage}"]}


def alert_notifications(topic_arn: str) -> list[dict[str, Any]]:
    subscribers = [{"SubscriptionType": "SNS", "Address": topic_arn}]
    return [
        {
            "Notification": {
                "NotificationType": kind,
                "ComparisonOperator": "GREATER_THAN",
                "Threshold": threshold,
                "ThresholdType": "PERCENTAGE",
            },
            "Subscribers": subscribers,
        }
        for kind, threshold in (
            ("ACTUAL", ACTUAL_ALERT_PERCENT),
            ("FORECASTED", FORECAST_ALERT_PERCENT),
        )
    ]


def _key(notification: dict[str, Any]) -> tuple[str, str, float, str]:
    return (
        str(notification["NotificationType"]),
        str(notification["ComparisonOperator"]),
        float(notification["Threshold"]),
        str(notification.get("ThresholdType", "PERCENTAGE")),
    )


def _currency_refused(exc: ClientError, settings: BudgetSettings) -> BudgetCurrencyError | None:
    message = str(exc.response.get("Error", {}).get("Message", ""))
    if _code(exc) != "InvalidParameterException" or "unit" not in message.lower():
        return None
    found = _SUPPORTED_UNITS.search(message)
    supported = found.group(1).strip() if found else "USD"
    return BudgetCurrencyError(
        f"AWS Budgets refused {settings.currency} for this account ({message}). A budget must "
        f"be in the account's billing currency: re-run with BUDGET_CURRENCY={supported} and "
        f"BUDGET_AMOUNT set to {settings.amount} {settings.currency} converted to {supported}."
    )


def ensure_budget(
    budgets: Any, stage: Stage, settings: BudgetSettings, topic_arn: str, report: Report
) -> None:
    account, name = stage.account, stage.budget_name
    wanted = budget_definition(stage, settings)
    try:
        try:
            current = budgets.describe_budget(AccountId=account, BudgetName=name)["Budget"]
        except ClientError as exc:
            if _code(exc) != "NotFoundException":
                raise
            budgets.create_budget(
                AccountId=account,
                Budget=wanted,
                NotificationsWithSubscribers=alert_notifications(topic_arn),
            )
            report.add(f"budgets:{name}", "created")
            return
        action = "unchanged"
        limit = current.get("BudgetLimit", {})
        if (Decimal(str(limit.get("Amount", "0"))), limit.get("Unit")) != (
            settings.amount,
            settings.currency,
        ) or (current.get("TimeUnit"), current.get("CostFilters")) != (
            wanted["TimeUnit"],
            wanted["CostFilters"],
        ):
            budgets.update_budget(AccountId=account, NewBudget=wanted)
            action = "updated"
    except ClientError as exc:
        refused = _currency_refused(exc, settings)
        if refused is not None:
            raise refused from exc
        raise
    if _ensure_notifications(budgets, account, name, topic_arn):
        action = "updated"
    report.add(f"budgets:{name}", action)


def _ensure_notifications(budgets: Any, account: str, name: str, topic_arn: str) -> bool:
    """Add missing alerts and remove others; True when anything changed. Subscribers are set
    when an alert is created (the topic ARN never changes for a stage)."""
    existing = budgets.describe_notifications_for_budget(AccountId=account, BudgetName=name)
    current = {_key(n): n for n in existing.get("Notifications", [])}
    wanted = {_key(n["Notification"]): n for n in alert_notifications(topic_arn)}
    for key in wanted.keys() - current.keys():
        budgets.create_notification(
            AccountId=account,
            BudgetName=name,
            Notification=wanted[key]["Notification"],
            Subscribers=wanted[key]["Subscribers"],
        )
    for key in current.keys() - wanted.keys():
        budgets.delete_notification(AccountId=account, BudgetName=name, Notification=current[key])
    return wanted.keys() != current.keys()


def delete_budget(budgets: Any, stage: Stage, report: Report) -> None:
    try:
        budgets.delete_budget(AccountId=stage.account, BudgetName=stage.budget_name)
    except ClientError as exc:
        if _code(exc) != "NotFoundException":
            raise
        report.add(f"budgets:{stage.budget_name}", "absent")
        return
    report.add(f"budgets:{stage.budget_name}", "deleted")


def month_to_date(budgets: Any, stage: Stage) -> dict[str, Any] | None:
    """The budget's limit, actual and forecast spend (for the cost report), or None."""
    try:
        budget = budgets.describe_budget(AccountId=stage.account, BudgetName=stage.budget_name)
    except ClientError as exc:
        if _code(exc) != "NotFoundException":
            raise
        return None
    spend = budget["Budget"].get("CalculatedSpend", {})
    return {
        "limit": budget["Budget"]["BudgetLimit"],
        "actual": spend.get("ActualSpend"),
        "forecast": spend.get("ForecastedSpend"),
    }
