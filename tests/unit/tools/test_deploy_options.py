"""deploy.sh's options come from the environment, the same names as its flags set."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infra.deployment import DeployOptions


def test_defaults_are_a_50_eur_budget_without_mail_or_custom_domain() -> None:
    options = DeployOptions.from_env({})

    assert (options.budget_settings.amount, options.budget_settings.currency) == (
        Decimal(50),
        "EUR",
    )
    assert options.alert_email is None
    assert options.certificate is None


def test_budget_mail_and_domain_are_read_from_the_environment() -> None:
    options = DeployOptions.from_env(
        {
            "BUDGET_AMOUNT": "55",
            "BUDGET_CURRENCY": "usd",
            "ALERT_EMAIL": "ops@example.org",
            "SITE_DOMAIN": "repair.example.be",
            "SITE_CERTIFICATE_ARN": "arn:aws:acm:us-east-1:123456789012:certificate/x",
        }
    )

    assert (options.budget_settings.amount, options.budget_settings.currency) == (
        Decimal(55),
        "USD",
    )
    assert options.alert_email == "ops@example.org"
    assert options.certificate is not None
    assert options.certificate.domain == "repair.example.be"


def test_a_domain_without_its_certificate_is_refused() -> None:
    with pytest.raises(ValueError, match="go together"):
        DeployOptions.from_env({"SITE_DOMAIN": "repair.example.be"})
