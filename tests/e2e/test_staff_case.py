"""What a volunteer sees of a case and what the visitor sees of the volunteer's words."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import Site, screenshot
from .test_spa import create_repair_through_api

PUBLIC = "Bring the charger along on Saturday, please."
INTERNAL = "Motherboard dead, the part costs more than the toaster."


def sign_in(page: Page, site: Site, role: str = "repairer") -> None:
    staff = site.staff[role]
    page.goto(site.url("/staff/sign-in"))
    page.fill("#username", staff["username"])
    page.fill("#password", staff["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^[^?]*/staff$"))


def test_a_public_message_reaches_the_tracking_page_and_an_internal_note_does_not(
    site: Site, desktop: Page, phone: Page
) -> None:
    # Given a request, and a volunteer who accepts it with a message and a note
    repair_id, token = create_repair_through_api(desktop, site)
    sign_in(desktop, site)
    desktop.goto(site.url(f"/staff/repairs/{repair_id}"))
    desktop.get_by_label("Accept").check()
    desktop.get_by_label("Message to the visitor").fill(PUBLIC)
    desktop.get_by_label("Internal note").fill(INTERNAL)
    desktop.get_by_role("button", name="Save").click()
    expect(desktop.get_by_test_id("staff-status")).to_have_text("Accepted by a volunteer")
    expect(desktop.get_by_test_id("internal-note")).to_contain_text(INTERNAL)
    screenshot(desktop, "15-staff-public-message-and-note")

    # When the visitor opens their tracking link
    phone.goto(site.url(f"/repairs/{repair_id}#token={token}"))
    expect(phone.get_by_test_id("tracking-status")).to_have_text("Accepted by a volunteer")

    # Then they read the message, and nothing of the note
    expect(phone.get_by_test_id("public-message")).to_have_text(PUBLIC)
    assert INTERNAL not in phone.content()
    expect(phone.get_by_test_id("internal-note")).to_have_count(0)
    screenshot(phone, "16-tracking-public-message")
