"""Mail through SES: a confirmation with the tracking link, one short mail per status change,
in the visitor's language, never after the contact details are erased, never failing a request."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from chalice.test import Client

from tests.unit.repairapp.conftest import SITE_URL, new_key, repair_body, sent_mail
from tests.unit.repairapp.fake_smartre import FakeSmartRe

Patch = Callable[..., Any]
Submit = Callable[..., dict[str, Any]]
EMAIL = "mira.janssens@example.be"
LINK = re.compile(re.escape(SITE_URL) + r"/repairs/(?P<id>rp_[A-Za-z0-9_-]+)#token=(?P<token>\S+)")


def _mails_to(address: str) -> list[Any]:
    return [m for m in sent_mail() if address in m.destinations["ToAddresses"]]


def _submit(client: Client, origin: dict[str, str], analysis_id: str, **extra: Any) -> Any:
    return client.http.post(
        "/api/repairs",
        headers={**origin, "Idempotency-Key": extra.pop("key", new_key())},
        body=json.dumps(repair_body(analysis_id, **extra)),
    )


def test_a_request_gets_a_confirmation_whose_link_opens_its_tracking_page(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> None:
    # Given a triage in English
    analysis = fake_smartre.add_analysis(inputs={"language": "en"})

    # When the visitor asks for a repair
    created = _submit(client, origin, analysis["analysisId"]).json_body

    # Then one mail from the sender identity carries the tracking link, token in the fragment
    [confirmation] = _mails_to(EMAIL)
    assert confirmation.source == "noreply@repairapp.local"
    assert confirmation.subject == "Your repair request has been received"
    link = LINK.search(confirmation.body)
    assert link is not None, confirmation.body
    assert link["id"] == created["repairId"]
    assert link.group(0).endswith(created["trackingUrl"])
    tracked = client.http.get(
        f"/api/repairs/{link['id']}", headers={**origin, "X-Tracking-Token": link["token"]}
    )
    assert tracked.status_code == 200


@pytest.mark.parametrize(
    ("sent", "triage", "subject"),
    [
        ("fr", "en", "Votre demande de réparation est bien reçue"),
        (None, "de", "Ihre Reparaturanfrage ist eingegangen"),
        (None, "xx", "Je herstelaanvraag is ontvangen"),
    ],
    ids=["as-sent", "the-triage-language", "dutch-otherwise"],
)
def test_the_confirmation_is_in_the_visitors_language(
    client: Client,
    origin: dict[str, str],
    fake_smartre: FakeSmartRe,
    sent: str | None,
    triage: str,
    subject: str,
) -> None:
    analysis = fake_smartre.add_analysis(inputs={"language": triage})
    extra = {"language": sent} if sent else {}

    assert _submit(client, origin, analysis["analysisId"], **extra).status_code == 201

    assert [m.subject for m in _mails_to(EMAIL)] == [subject]


def test_an_unknown_language_is_400(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> None:
    analysis = fake_smartre.add_analysis()

    response = _submit(client, origin, analysis["analysisId"], language="es")

    assert response.status_code == 400
    assert response.json_body["Code"] == "UnknownLanguage"
    assert sent_mail() == []


def test_a_replayed_request_sends_no_second_confirmation(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> None:
    analysis = fake_smartre.add_analysis()
    key = new_key()

    for _ in range(2):
        assert _submit(client, origin, analysis["analysisId"], key=key).status_code == 201

    assert len(_mails_to(EMAIL)) == 1


def test_each_status_change_mails_the_public_message_and_never_the_internal_note(
    submit: Submit, patch_repair: Patch
) -> None:
    created = submit(inputs={"language": "nl"})

    patch_repair(
        created["repairId"],
        status="accepted",
        publicMessage="Breng hem zaterdag mee.",
        internalNote="Moederbord defect.",
    )
    patch_repair(created["repairId"], status="in_repair")

    _confirmation, accepted, in_repair = _mails_to(EMAIL)
    assert accepted.subject == "Je herstelaanvraag: Aanvaard door een vrijwilliger"
    assert "Breng hem zaterdag mee." in accepted.body
    assert "Moederbord" not in accepted.body + in_repair.body
    assert in_repair.subject == "Je herstelaanvraag: Wordt hersteld"
    assert "#token=" not in accepted.body  # the token is not stored: only the first mail has it


def test_closing_sends_the_last_mail_then_the_contact_details_are_gone(
    client: Client, repairer: dict[str, str], submit: Submit, patch_repair: Patch
) -> None:
    created = submit(inputs={"language": "en"})
    for status in ("accepted", "in_repair", "fixed"):
        assert patch_repair(created["repairId"], status=status).status_code == 200

    subjects = [m.subject for m in _mails_to(EMAIL)]
    assert subjects[-1] == "Your repair request: Fixed"
    assert len(subjects) == 4
    staff = client.http.get(f"/api/staff/repairs/{created['repairId']}", headers=repairer)
    assert staff.json_body["contact"] is None
    # (closed is final: no later change exists that could mail again, and no address is left)
    assert patch_repair(created["repairId"], status="cancelled").status_code == 409
    assert len(_mails_to(EMAIL)) == 4


def test_a_refused_mail_does_not_fail_the_request(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe, capsys: Any
) -> None:
    # Given SES refuses the sender (its identity is no longer verified)
    boto3.client("ses", region_name="eu-west-1").delete_identity(Identity="noreply@repairapp.local")
    analysis = fake_smartre.add_analysis()

    try:
        response = _submit(client, origin, analysis["analysisId"])
    finally:
        boto3.client("ses", region_name="eu-west-1").verify_email_identity(
            EmailAddress="noreply@repairapp.local"
        )

    # Then the request is made all the same, and the failure is counted
    assert response.status_code == 201
    assert sent_mail() == []
    assert '"MailFailed":1' in capsys.readouterr().out


def test_every_template_renders_in_every_language() -> None:
    from chalicelib import mail

    for language in ("nl", "fr", "en", "de"):
        confirmation = mail.confirmation(language, EMAIL, "Mira", "https://x/repairs/rp_1#token=t")
        assert "https://x/repairs/rp_1#token=t" in confirmation.body
        changed = mail.status_changed(language, EMAIL, "Mira", "fixed", "Klaar!")
        assert "Klaar!" in changed.body
        assert "{" not in confirmation.body + changed.body + changed.subject
