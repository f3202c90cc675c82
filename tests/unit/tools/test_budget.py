"""The budget: 50 EUR by default, two alerts to the alerts topic, a clear currency refusal."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra import alerts, budget
from infra.definition import stage
from infra.provision import Report
from localaws.patches import budgets_update, restore_all

DEV = stage("dev", "123456789012")
TOPIC = alerts.topic_arn(DEV)


@pytest.fixture
def budgets() -> Iterator[Any]:
    budgets_update.apply()  # moto has no UpdateBudget of its own
    try:
        with mock_aws():
            yield boto3.client("budgets", region_name="us-east-1")
    finally:
        restore_all()


def actions(report: Report) -> list[str]:
    return [action for _, action in report.actions]


def test_defaults_are_50_eur_and_bad_values_are_refused() -> None:
    assert budget.BudgetSettings.parse(None, None) == budget.BudgetSettings(Decimal(50), "EUR")
    assert budget.BudgetSettings.parse("75.5", "usd").currency == "USD"
    for amount, currency in (("-1", "EUR"), ("fifty", "EUR"), ("50", "EURO")):
        with pytest.raises(ValueError, match="budget"):
            budget.BudgetSettings.parse(amount, currency)


def test_budget_alerts_at_80_percent_actual_and_100_percent_forecast(budgets: Any) -> None:
    report = Report()
    budget.ensure_budget(budgets, DEV, budget.BudgetSettings.parse(None, None), TOPIC, report)

    stored = budgets.describe_budget(AccountId=DEV.account, BudgetName=DEV.budget_name)["Budget"]
    notifications = budgets.describe_notifications_for_budget(
        AccountId=DEV.account, BudgetName=DEV.budget_name
    )["Notifications"]

    assert actions(report) == ["created"]
    assert stored["BudgetLimit"] == {"Amount": "50", "Unit": "EUR"}
    assert sorted((n["NotificationType"], n["Threshold"]) for n in notifications) == [
        ("ACTUAL", 80.0),
        ("FORECASTED", 100.0),
    ]


def test_a_rerun_changes_nothing_and_a_new_amount_updates(budgets: Any) -> None:
    settings = budget.BudgetSettings.parse("50", "EUR")
    budget.ensure_budget(budgets, DEV, settings, TOPIC, Report())

    same, more = Report(), Report()
    budget.ensure_budget(budgets, DEV, settings, TOPIC, same)
    budget.ensure_budget(budgets, DEV, budget.BudgetSettings.parse("60", "EUR"), TOPIC, more)

    stored = budgets.describe_budget(AccountId=DEV.account, BudgetName=DEV.budget_name)["Budget"]
    assert (actions(same), actions(more)) == (["unchanged"], ["updated"])
    assert Decimal(stored["BudgetLimit"]["Amount"]) == 60


def test_a_missing_alert_is_put_back(budgets: Any) -> None:
    settings = budget.BudgetSettings.parse(None, None)
    budget.ensure_budget(budgets, DEV, settings, TOPIC, Report())
    forecast = budget.alert_notifications(TOPIC)[1]["Notification"]
    budgets.delete_notification(
        AccountId=DEV.account, BudgetName=DEV.budget_name, Notification=forecast
    )

    report = Report()
    budget.ensure_budget(budgets, DEV, settings, TOPIC, report)

    kept = budgets.describe_notifications_for_budget(
        AccountId=DEV.account, BudgetName=DEV.budget_name
    )["Notifications"]
    assert actions(report) == ["updated"]
    assert len(kept) == 2


class RefusingBudgets:
    """AWS Budgets for an account billed in USD (the message AWS sends, verbatim)."""

    def describe_budget(self, **_: Any) -> Any:
        raise ClientError({"Error": {"Code": "NotFoundException", "Message": "no"}}, "Describe")

    def create_budget(self, **kwargs: Any) -> Any:
        unit = kwargs["Budget"]["BudgetLimit"]["Unit"]
        message = f"Unable to create/update budget - {unit} is not in the supported unit set: [USD]"
        raise ClientError(
            {"Error": {"Code": "InvalidParameterException", "Message": message}}, "CreateBudget"
        )


def test_a_currency_the_account_does_not_bill_in_is_refused_with_the_one_it_does() -> None:
    settings = budget.BudgetSettings.parse("50", "EUR")

    with pytest.raises(budget.BudgetCurrencyError) as refused:
        budget.ensure_budget(RefusingBudgets(), DEV, settings, TOPIC, Report())

    assert "BUDGET_CURRENCY=USD" in str(refused.value)
    assert "50 EUR converted to USD" in str(refused.value)


def test_delete_reports_deleted_then_absent(budgets: Any) -> None:
    budget.ensure_budget(budgets, DEV, budget.BudgetSettings.parse(None, None), TOPIC, Report())
    report = Report()

    budget.delete_budget(budgets, DEV, report)
    budget.delete_budget(budgets, DEV, report)

    assert actions(report) == ["deleted", "absent"]
