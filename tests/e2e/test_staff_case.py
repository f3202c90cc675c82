"""What a volunteer sees of a case and what the visitor sees of the volunteer's words."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from .conftest import Site, screenshot
from .test_spa import PHOTO, create_repair_through_api

PUBLIC = "Bring the charger along on Saturday, please."
INTERNAL = "Motherboard dead, the part costs more than the toaster."
DESCRIPTION = "The laptop switches off after ten minutes and the fan is very loud."


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


def create_repair_with_photo(page: Page, site: Site) -> str:
    """A request with a photo and a description, made through the API the way the SPA makes it."""
    upload = page.request.post(site.url("/api/uploads"), data={"contentType": "image/jpeg"})
    assert upload.status == 201, upload.text()
    ticket = upload.json()
    stored = page.request.post(
        ticket["url"],
        multipart={
            **ticket["fields"],
            "file": {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": PHOTO.read_bytes()},
        },
    )
    assert stored.ok, stored.text()
    triage = page.request.post(
        site.url("/api/triage"),
        data={"imageId": ticket["imageId"], "description": DESCRIPTION, "language": "en"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert triage.status == 201, triage.text()
    created = page.request.post(
        site.url("/api/repairs"),
        data={
            "analysisId": triage.json()["analysisId"],
            "contact": {"name": "Photo Flow", "email": "photo.flow@example.be"},
            "postcode": "9000",
            "consent": True,
        },
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert created.status == 201, created.text()
    repair_id: str = created.json()["repairId"]
    return repair_id


def test_a_staff_member_sees_the_description_and_the_photo(site: Site, desktop: Page) -> None:
    # Given a request someone made with a photo and their own words
    repair_id = create_repair_with_photo(desktop, site)

    # When a volunteer opens it
    sign_in(desktop, site)
    desktop.goto(site.url(f"/staff/repairs/{repair_id}"))

    # Then they read the description and see the photo (loaded through its short-lived link)
    expect(desktop.get_by_test_id("case-description")).to_have_text(DESCRIPTION)
    image = desktop.get_by_test_id("case-photo-image")
    expect(image).to_be_visible()
    expect(desktop.get_by_test_id("case-photo")).to_contain_text("deleted after 7 days")
    desktop.wait_for_function(
        "el => el.complete && el.naturalWidth > 0", arg=image.element_handle()
    )
    # ...with the similar past repairs of the triage, and no version number on the page
    expect(desktop.locator("#similar-title")).to_be_visible()
    expect(desktop.get_by_text("Version", exact=True)).to_have_count(0)
    screenshot(desktop, "17-staff-case-with-photo")

    # And when it closes, the page says the photo is gone
    desktop.get_by_label("Cancel the request").check()
    desktop.get_by_role("button", name="Save").click()
    expect(desktop.get_by_test_id("staff-status")).to_have_text("Cancelled")
    desktop.reload()
    expect(desktop.get_by_test_id("case-photo-gone")).to_be_visible()
