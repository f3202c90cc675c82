"""Issue 19 end to end: a repair café from the coordinator's form to the export.

A coordinator creates a repair café; a visitor triages an item (photo and words) and books that
café in the request form; the booking confirmation arrives (read from the embedded AWS); a
repairer on a 375×667 phone checks the visitor in and logs "End of life — spare parts not
available" in three taps; the visitor's tracking page shows it; and the coordinator's Open Repair
Data export carries the café's date and group.
"""

from __future__ import annotations

import csv
import io
import re
import time
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, ViewportSize, expect

from .conftest import DESKTOP, BrowserErrors, Site, new_context, screenshot
from .test_mail import mail_to
from .test_spa import PHOTO, assert_no_unexpected_errors

SMALL_PHONE: ViewportSize = {"width": 375, "height": 667}
BRUSSELS = ZoneInfo("Europe/Brussels")
DESCRIPTION = "My laptop does not charge any more, the charger light stays off"


def sign_in(page: Page, site: Site, role: str) -> None:
    staff = site.staff[role]
    page.goto(site.url("/staff/sign-in"))
    page.fill("#username", staff["username"])
    page.fill("#password", staff["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^[^?]*/staff$"))


def count_clicks(page: Page) -> None:
    """From now on the page counts the clicks a person makes (trusted events only)."""
    page.evaluate(
        """() => {
             window.__clicks = 0
             document.addEventListener('click', (e) => { if (e.isTrusted) window.__clicks++ }, true)
           }"""
    )


def mail_mentioning(page: Page, site: Site, address: str, text: str) -> dict[str, Any]:
    """The first mail to ``address`` whose body mentions ``text`` (waits for it a little)."""
    deadline = time.monotonic() + 15
    while True:
        messages = mail_to(page, site, address)
        found = [mail for mail in messages if text in mail["body"]]
        if found or time.monotonic() > deadline:
            assert found, [mail["subject"] for mail in messages]
            return found[0]
        time.sleep(0.3)


def test_a_repair_cafe_from_booking_to_the_export(
    site: Site, browser: Browser, desktop: Page, errors: BrowserErrors
) -> None:
    suffix = uuid.uuid4().hex[:6]
    group = f"Repair Café Leuven {suffix}"
    place = f"Parish hall {suffix}"
    day = (datetime.now(BRUSSELS) + timedelta(days=7)).date()

    # Given a coordinator who creates a repair café next week, 14:00–17:00 Brussels time
    sign_in(desktop, site, "coordinator")
    desktop.goto(site.url("/staff/events"))
    desktop.get_by_test_id("event-create").click()
    desktop.get_by_label("Group", exact=True).fill(group)
    desktop.get_by_label("Place", exact=True).fill(place)
    desktop.get_by_label("Address").fill("Naamsestraat 1")
    desktop.get_by_label("Postcode").fill("3000")
    desktop.get_by_label("Starts").fill(f"{day.isoformat()}T14:00")
    desktop.get_by_label("Ends").fill(f"{day.isoformat()}T17:00")
    desktop.get_by_label("Places").fill("20")
    desktop.get_by_role("button", name="Save").click()
    expect(desktop.get_by_test_id("event-saved")).to_have_text(f"Created: {place}.")
    row = desktop.locator("tr", has_text=place)
    expect(row).to_contain_text("0 of 20")
    event_id = row.get_attribute("data-event-id")
    assert event_id is not None
    assert event_id.startswith("ev_"), event_id

    # ...and it is on the public list, with its calendar file
    visitor_context = new_context(browser)
    visitor = visitor_context.new_page()
    errors.watch(visitor)
    visitor.goto(site.url("/events?postcode=3000"))
    card = visitor.get_by_test_id("event-card").filter(has_text=place)
    expect(card).to_contain_text("20 of 20")
    calendar = visitor.request.get(site.url(f"/api/events/{event_id}/calendar.ics"))
    assert calendar.ok, calendar.text()
    assert "BEGIN:VEVENT" in calendar.text()
    screenshot(visitor, "30-events-list")

    # When a visitor triages their laptop (photo and words) and books that café in the request
    address = f"visitor.{suffix}@example.be"
    visitor.goto(site.url("/"))
    visitor.set_input_files("#photo-input", str(PHOTO))
    expect(visitor.locator(".photo-picker__preview img")).to_be_visible()
    visitor.fill("#description", DESCRIPTION)
    visitor.select_option("#category", "Laptop")
    visitor.get_by_role("button", name="Get my triage").click()
    visitor.wait_for_url(re.compile(r"/triage/[^/]+"))
    visitor.fill("#contact-name", "Ann Peeters")
    visitor.fill("#contact-email", address)
    visitor.fill("#postcode", "3010")
    visitor.get_by_test_id("event-picker").get_by_label(re.compile(re.escape(place))).check()
    visitor.check("#consent")
    visitor.get_by_role("button", name="Send my repair request").click()
    visitor.wait_for_url(re.compile(r"/repairs/[^/?#]+#token=.+"))
    repair_id = visitor.url.split("/repairs/")[1].split("#")[0]

    # Then the tracking page shows the booking, and the confirmation mail names the café
    expect(visitor.get_by_test_id("booking-place")).to_contain_text(place)
    expect(visitor.get_by_test_id("booking-status")).to_have_text("Booked")
    mail = mail_mentioning(visitor, site, address, place)
    assert f"/api/events/{event_id}/calendar.ics" in mail["body"], mail["body"]

    # When a repairer at the table, on a small phone, checks the visitor in
    repairer_context = new_context(browser, viewport=SMALL_PHONE)
    repairer = repairer_context.new_page()
    errors.watch(repairer)
    sign_in(repairer, site, "repairer")
    repairer.goto(site.url(f"/staff/events/{event_id}/table"))
    item = repairer.locator(f'[data-testid="table-item"][data-repair-id="{repair_id}"]')
    expect(item).to_contain_text("Laptop")
    item.click()
    repairer.get_by_test_id("check-in").click()
    expect(repairer.get_by_test_id("table-status")).to_have_text("Checked in: ticket 1.")
    expect(item).to_contain_text("#1")

    # ...and logs "End of life — spare parts not available": item, outcome, barrier
    count_clicks(repairer)
    item.click()
    repairer.get_by_role("button", name="End of life", exact=True).click()
    repairer.get_by_role("button", name="Spare parts not available").click()
    expect(repairer.get_by_test_id("table-status")).to_have_text("Saved: End of life.")
    assert repairer.evaluate("window.__clicks") == 3
    expect(item).to_contain_text("End of life")
    # One column on the phone: nothing wider than the screen
    assert repairer.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    screenshot(repairer, "31-table-mode-phone")

    # ...and adds a walk-in (no photo): checked in at once with the next ticket
    repairer.get_by_test_id("walk-in-open").click()
    repairer.get_by_label("What is the problem?").fill("The zip of my jacket is broken")
    repairer.get_by_role("button", name="Add and check in").click()
    expect(repairer.get_by_test_id("table-status")).to_have_text("Walk-in added: ticket 2.")

    # Then the visitor's tracking page, reloaded, shows the outcome and the checked-in booking
    visitor.reload()
    expect(visitor.get_by_test_id("tracking-status")).to_have_text("End of life")
    expect(visitor.get_by_test_id("booking-ticket")).to_have_text("#1")

    # And the coordinator's export carries the café's date and group
    desktop.goto(site.url("/staff/stats"))
    with desktop.expect_download() as download:
        desktop.get_by_role("button", name=re.compile("Download closed repairs")).click()
    path = download.value.path()
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    ours = [row for row in rows if row["group_identifier"] == group]
    assert len(ours) == 1, [row["group_identifier"] for row in rows]
    assert ours[0]["event_date"] == day.isoformat()
    assert ours[0]["repair_status"] == "End of life"

    # ...and the summary counts both items, one ended as End of life with its barrier
    desktop.goto(site.url(f"/staff/events/{event_id}/summary"))
    expect(desktop.get_by_test_id("summary-seen")).to_have_text("2")
    expect(desktop.get_by_test_id("summary-end-of-life")).to_have_text("1")
    expect(desktop.get_by_text("Spare parts not available")).to_be_visible()

    visitor_context.close()
    repairer_context.close()
    assert_no_unexpected_errors(errors)


def test_the_prepare_sheet_fits_one_a4_page(site: Site, browser: Browser) -> None:
    # Given a repair café with a booked item
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, site, "coordinator")
    token = page.evaluate("JSON.parse(sessionStorage.getItem('repairapp.staffSession')).idToken")
    day = (datetime.now(BRUSSELS) + timedelta(days=3)).date().isoformat()
    created = page.request.post(
        site.url("/api/staff/events"),
        data={"groupIdentifier": "Repair Café Gent", "place": "Library", "address": "Kouter 1",
              "postcode": "9000", "startsAt": f"{day}T10:00:00+01:00",
              "endsAt": f"{day}T13:00:00+01:00", "capacity": 12,
              "categories": ["Toaster", "Kettle"], "skills": ["electrical"]},
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert created.status == 201, created.text()
    event_id = created.json()["eventId"]
    triage = page.request.post(
        site.url("/api/triage"),
        data={"description": "The toaster does not pop up any more", "productCategory": "Toaster",
              "language": "en"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )  # fmt: skip
    assert triage.status == 201, triage.text()
    booked = page.request.post(
        site.url("/api/repairs"),
        data={"analysisId": triage.json()["analysisId"],
              "contact": {"name": "Toaster Owner", "email": "toaster@example.be"},
              "postcode": "9000", "consent": True, "eventId": event_id},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )  # fmt: skip
    assert booked.status == 201, booked.text()

    # When a repairer opens the prepare sheet
    page.goto(site.url(f"/staff/events/{event_id}/prepare"))
    expect(page.get_by_test_id("prepare-items")).to_contain_text("Toaster")
    screenshot(page, "32-prepare-sheet")

    # Then, printed on A4, it is one page
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    context.close()
