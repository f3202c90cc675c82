"""Mail that reaches people: the confirmation SES sent (read from the embedded AWS) carries a
tracking link that opens the request in a browser, in the visitor's language."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

from localaws.sigv4 import signed_headers

from .conftest import Site, new_context, screenshot

LINK = re.compile(r"https?://\S+/repairs/rp_[A-Za-z0-9_-]+#token=\S+")


def mail_to(page: Page, site: Site, address: str, count: int = 1) -> list[dict[str, Any]]:
    """The mail SES accepted for ``address`` (the emulator records it instead of sending)."""
    if site.aws_url is None or site.aws_credentials is None:
        pytest.skip("set E2E_AWS_URL (and E2E_AWS_CREDENTIALS) to read the emulator's mail")
    url = f"{site.aws_url}/_localaws/ses/messages?{urlencode({'to': address})}"
    deadline = time.monotonic() + 10
    while True:
        # The mail is personal data: the emulator shows it only to a request signed with its
        # credentials, as the tests' own clients are.
        answer = page.request.get(url, headers=signed_headers("GET", url, site.aws_credentials))
        assert answer.ok, answer.text()
        messages: list[dict[str, Any]] = answer.json()["messages"]
        if len(messages) >= count or time.monotonic() > deadline:
            return messages
        time.sleep(0.2)


def test_a_confirmation_mail_brings_the_visitor_back_to_their_request(
    site: Site, browser: Browser, phone: Page
) -> None:
    # Given a visitor who asks for a repair in French
    address = f"mail.{uuid.uuid4().hex[:8]}@example.be"
    triage = phone.request.post(
        site.url("/api/triage"),
        data={"description": "La bouilloire ne chauffe plus", "productCategory": "Kettle",
              "language": "fr"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )  # fmt: skip
    assert triage.status == 201, triage.text()
    created = phone.request.post(
        site.url("/api/repairs"),
        data={"analysisId": triage.json()["analysisId"],
              "contact": {"name": "Camille", "email": address},
              "postcode": "1000", "consent": True, "language": "fr"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )  # fmt: skip
    assert created.status == 201, created.text()

    # When the confirmation arrives (recorded by the embedded AWS)
    [mail] = mail_to(phone, site, address)
    assert mail["subject"] == "Votre demande de réparation est bien reçue"
    link = LINK.search(mail["body"])
    assert link is not None, mail["body"]
    assert link.group(0).startswith(site.base_url)

    # Then its link, opened cold in a new browser, shows the request
    context = new_context(browser)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(link.group(0))
    expect(page.get_by_test_id("tracking-status")).to_have_text("Submitted")
    # ...and its copy button puts that same link on the clipboard
    page.get_by_test_id("copy-link").click()
    expect(page.get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == link.group(0)
    expect(page.get_by_test_id("share-link")).to_be_visible()
    screenshot(page, "18-tracking-from-the-confirmation-mail")
    context.close()

    # And a status change sends a short mail with the volunteer's public message
    staff = site.staff["repairer"]
    session = phone.request.post(
        site.url("/api/staff/sessions"),
        data={"username": staff["username"], "password": staff["password"]},
    )
    assert session.status == 201, session.text()
    repair_id = created.json()["repairId"]
    changed = phone.request.patch(
        site.url(f"/api/repairs/{repair_id}"),
        data={"status": "accepted", "publicMessage": "Apportez-la samedi.",
              "internalNote": "Thermostat HS"},
        headers={"Authorization": f"Bearer {session.json()['idToken']}", "If-Match": "1"},
    )  # fmt: skip
    assert changed.status == 200, changed.text()
    _, status_mail = mail_to(phone, site, address, count=2)
    assert status_mail["subject"] == "Votre demande de réparation : Acceptée par un bénévole"
    assert "Apportez-la samedi." in status_mail["body"]
    assert "Thermostat" not in status_mail["body"]
