"""The SPA end to end on the local stack: what a person and a repair volunteer actually do."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect

from .conftest import DESKTOP, REPO_ROOT, BrowserErrors, Site, new_context, screenshot

DATA_DIR = Path(os.environ.get("DATA_DIR", REPO_ROOT.parent / "shared" / "data"))
PHOTO = DATA_DIR / "caltech101_repair_subset" / "101_ObjectCategories" / "laptop" / "image_0002.jpg"
TIMINGS = REPO_ROOT / "artifacts" / "e2e-timings.json"


def payload(name: str, mime_type: str, data: bytes) -> FilePayload:
    return {"name": name, "mimeType": mime_type, "buffer": data}


def assert_no_unexpected_errors(errors: BrowserErrors) -> None:
    # Chromium logs every non-2xx fetch as "Failed to load resource"; the UI handles those.
    unexpected = [m for m in errors.messages if "Failed to load resource" not in m]
    assert unexpected == []


def create_repair_through_api(page: Page, site: Site) -> tuple[str, str]:
    """A repair request made the way the SPA makes it, without clicking (for the staff tests)."""
    triage = page.request.post(
        site.url("/api/triage"),
        data={
            "description": "The toaster does not pop up any more",
            "productCategory": "Toaster",
            "language": "en",
        },
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert triage.status == 201, triage.text()
    created = page.request.post(
        site.url("/api/repairs"),
        data={
            "analysisId": triage.json()["analysisId"],
            "contact": {"name": "Staff Flow", "email": "staff.flow@example.be"},
            "postcode": "9000",
            "consent": True,
        },
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert created.status == 201, created.text()
    body = created.json()
    return body["repairId"], body["trackingToken"]


def test_citizen_reports_a_broken_item_and_follows_the_repair(
    site: Site, phone: Page, browser: Browser, errors: BrowserErrors
) -> None:
    # Given the report screen on a phone
    phone.goto(site.url("/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("What broke?")
    screenshot(phone, "01-report")

    # When the person adds a real photo and describes the problem
    phone.set_input_files("#photo-input", str(PHOTO))
    expect(phone.locator(".photo-picker__preview img")).to_be_visible()
    expect(phone.locator(".photo-picker__preview figcaption")).to_contain_text(
        "location data removed"
    )
    phone.fill("#description", "My laptop does not charge any more, the battery light stays off")
    phone.fill("#age", "5")
    screenshot(phone, "02-report-filled")
    started = time.monotonic()
    phone.get_by_role("button", name="Get my triage").click()

    # Then the triage appears at its own URL
    phone.wait_for_url(re.compile(r"/triage/[^/]+$"))
    expect(phone.get_by_role("heading", name="Chances of the repair")).to_be_visible()
    submit_to_result = time.monotonic() - started
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps({"submitToTriageSeconds": round(submit_to_result, 2)}))
    print(f"submit → triage shown: {submit_to_result:.2f} s")
    expect(phone.locator(".bars__row")).not_to_have_count(0)
    screenshot(phone, "03-triage")
    triage_url = phone.url

    # And the triage survives a cold open in a fresh profile (deep link)
    cold = new_context(browser)
    cold_page = cold.new_page()
    cold_page.goto(triage_url)
    expect(cold_page.get_by_role("heading", name="Chances of the repair")).to_be_visible()

    # And picking the category there re-runs the triage with the description the analysis
    # carries (nothing asked again), with the categories named in the language chosen
    cold_page.select_option("#language-select", "fr")
    expect(cold_page.get_by_role("heading", name="Chances de réparation")).to_be_visible()
    toggle = cold_page.get_by_role("button", name="Choisissez la catégorie vous-même")
    if toggle.count():
        toggle.click()
    expect(cold_page.locator('#pick-category option[value="Desktop computer"]')).to_have_text(
        "Ordinateur de bureau"
    )
    cold_page.select_option("#pick-category", "Desktop computer")
    expect(cold_page.locator("#pick-description")).to_have_count(0)
    screenshot(cold_page, "03b-triage-pick-category-fr")
    cold_page.get_by_role("button", name="Mettre à jour mon diagnostic").click()
    cold_page.wait_for_url(lambda url: url != triage_url and "/triage/" in url)
    expect(cold_page.locator(".category__label")).to_have_text("Ordinateur de bureau")
    cold.close()

    # When the person asks for a repair, first with a bad postcode
    phone.fill("#contact-name", "Ann Peeters")
    phone.fill("#contact-email", "ann.peeters@example.be")
    phone.fill("#postcode", "0999")
    phone.get_by_role("button", name="Send my repair request").click()
    expect(phone.locator("#postcode-error")).to_contain_text("Belgian postcode")
    expect(phone.locator("#consent-error")).to_be_visible()
    screenshot(phone, "04-request-invalid")
    phone.fill("#postcode", "3000")
    phone.check("#consent")
    phone.get_by_role("button", name="Send my repair request").click()

    # Then the tracking page opens, and reloading it by URL shows the same request
    phone.wait_for_url(re.compile(r"/repairs/[^/?#]+#token=.+"))
    expect(phone.get_by_test_id("tracking-status")).to_have_text("Submitted")
    tracking_url = phone.url
    phone.reload()
    expect(phone.get_by_test_id("tracking-status")).to_have_text("Submitted")
    expect(phone.locator('.timeline [aria-current="step"]')).to_have_attribute(
        "data-status", "submitted"
    )
    screenshot(phone, "05-tracking")

    # And the bookmarked link works cold in a new tab of a fresh profile
    cold = new_context(browser)
    cold_page = cold.new_page()
    cold_page.goto(tracking_url)
    expect(cold_page.get_by_test_id("tracking-status")).to_have_text("Submitted")
    # ...while a wrong token looks exactly like an unknown request
    cold_page.goto(re.sub(r"token=[^&]+", "token=wrong", tracking_url))
    expect(cold_page.get_by_test_id("tracking-not-found")).to_be_visible()
    screenshot(cold_page, "06-tracking-not-found")
    cold.close()
    assert_no_unexpected_errors(errors)


def test_an_old_query_token_link_opens_once_and_moves_into_the_fragment(
    site: Site, phone: Page, errors: BrowserErrors
) -> None:
    # Given a link sent before tokens moved out of the query
    repair_id, token = create_repair_through_api(phone, site)

    # When the person opens it
    phone.goto(site.url(f"/repairs/{repair_id}?token={token}"))

    # Then the request shows, and the address bar no longer has the token in the query
    expect(phone.get_by_test_id("tracking-status")).to_have_text("Submitted")
    assert phone.url == site.url(f"/repairs/{repair_id}#token={token}")
    phone.reload()
    expect(phone.get_by_test_id("tracking-status")).to_have_text("Submitted")
    assert_no_unexpected_errors(errors)


def test_no_log_the_stack_writes_contains_a_tracking_token(
    site: Site, phone: Page, desktop: Page
) -> None:
    if site.log_dir is None:
        pytest.skip("the stack was started elsewhere: its logs are not here")
    # Given a request tracked the new way, an old link opened, and staff working on it
    repair_id, token = create_repair_through_api(phone, site)
    phone.goto(site.url(f"/repairs/{repair_id}#token={token}"))
    expect(phone.get_by_test_id("tracking-status")).to_have_text("Submitted")
    phone.goto(site.url(f"/repairs/{repair_id}?token={token}"))
    expect(phone.get_by_test_id("tracking-status")).to_have_text("Submitted")
    desktop.goto(site.url("/staff/sign-in"))
    desktop.fill("#username", site.staff["coordinator"]["username"])
    desktop.fill("#password", site.staff["coordinator"]["password"])
    desktop.get_by_role("button", name="Sign in").click()
    desktop.wait_for_url(re.compile(r"^[^?]*/staff$"))
    desktop.goto(site.url(f"/staff/repairs/{repair_id}"))
    expect(desktop.get_by_test_id("staff-status")).to_be_visible()

    # When every log of every component is read (emulator, Lambda workers, both APIs, the CDN)
    logs = [path for path in site.log_dir.rglob("*.log") if path.is_file()]
    assert len(logs) >= 3, logs

    # Then none holds the token
    for path in logs:
        assert token.encode() not in path.read_bytes(), path.name


def test_unknown_page_shows_the_spa_not_found(site: Site, phone: Page) -> None:
    phone.goto(site.url("/no/such/page"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Page not found")
    screenshot(phone, "07-not-found")


def test_api_404_stays_a_json_404(site: Site, phone: Page) -> None:
    # The SPA fallback must not turn API errors into index.html with 200.
    for path in ("/api/analyses/an_doesnotexist", "/api/repairs/rp_doesnotexist"):
        response = phone.request.get(site.url(path))
        assert response.status == 404, path
        assert response.headers["content-type"].startswith("application/json"), path
        assert response.json()["Code"] == "NotFound", path


def test_too_large_file_shows_its_message(site: Site, phone: Page) -> None:
    phone.goto(site.url("/"))
    big = b"\xff\xd8\xff\xe0" + b"\0" * (26 * 1024 * 1024)
    phone.set_input_files("#photo-input", files=[payload("huge.jpg", "image/jpeg", big)])
    expect(phone.locator(".photo-picker [role=alert]")).to_contain_text("too big")
    screenshot(phone, "08-upload-too-large")


def test_non_image_files_show_their_message(site: Site, phone: Page) -> None:
    phone.goto(site.url("/"))
    phone.set_input_files("#photo-input", files=[payload("notes.txt", "text/plain", b"hello")])
    expect(phone.locator(".photo-picker [role=alert]")).to_contain_text("not a photo we can read")
    # A file that only claims to be a JPEG is caught when decoding it.
    phone.set_input_files(
        "#photo-input",
        files=[payload("fake.jpg", "image/jpeg", b"not a jpeg")],
    )
    expect(phone.locator(".photo-picker [role=alert]")).to_contain_text("not a photo we can read")
    expect(phone.locator(".photo-picker__preview")).to_have_count(0)
    screenshot(phone, "09-upload-not-an-image")


def fixed_count(page: Page, site: Site) -> int:
    page.goto(site.url("/staff/stats"))
    count = page.locator('[data-status="fixed"] dd')
    expect(count).to_be_visible()
    return int(re.sub(r"\D", "", count.inner_text()) or 0)


def save_status(page: Page, action: str, expected_status: str) -> None:
    page.get_by_label(action).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("staff-status")).to_have_text(expected_status)


def test_staff_accept_and_close_as_fixed_changes_the_stats(
    site: Site, desktop: Page, errors: BrowserErrors
) -> None:
    repair_id, _ = create_repair_through_api(desktop, site)
    coordinator = site.staff["coordinator"]

    # Given a signed-in coordinator (the guard sends /staff to the sign-in page first)
    desktop.goto(site.url("/staff/stats"))
    desktop.wait_for_url(re.compile(r"/staff/sign-in\?redirect="))
    screenshot(desktop, "10-staff-sign-in")
    desktop.fill("#username", coordinator["username"])
    desktop.fill("#password", coordinator["password"])
    desktop.get_by_role("button", name="Sign in").click()
    # (The sign-in URL itself ends in "?redirect=/staff/stats": match the path only.)
    desktop.wait_for_url(re.compile(r"^[^?]*/staff/stats$"))
    before = fixed_count(desktop, site)

    # The queue, filtered in the URL, lists the new request
    desktop.goto(site.url("/staff?status=submitted"))
    expect(desktop.get_by_label("Status")).to_have_value("submitted")
    row = desktop.locator(f'tr[data-repair-id="{repair_id}"]')
    for _ in range(20):
        if row.count() or not desktop.get_by_role("link", name="Next page").count():
            break
        desktop.get_by_role("link", name="Next page").click()
        desktop.wait_for_load_state("networkidle")
    expect(row).to_be_visible()
    screenshot(desktop, "11-staff-queue")

    # When the volunteer accepts, repairs and closes it as fixed
    row.get_by_role("link").click()
    desktop.wait_for_url(re.compile(rf"/staff/repairs/{repair_id}$"))
    expect(desktop.get_by_test_id("staff-status")).to_have_text("Submitted")
    save_status(desktop, "Accept", "Accepted by a volunteer")
    # (correcting the category on the way: it travels with a status change)
    desktop.get_by_label("Start the repair").check()
    desktop.select_option("#correct-category", "Kettle")
    desktop.get_by_role("button", name="Save").click()
    expect(desktop.get_by_test_id("staff-status")).to_have_text("Being repaired")
    expect(desktop.get_by_test_id("staff-category")).to_have_text("Kettle")
    desktop.get_by_label("Close as fixed").check()
    desktop.fill("#internal-note", "Replaced the fuse")
    desktop.get_by_role("button", name="Save").click()
    expect(desktop.get_by_test_id("staff-status")).to_have_text("Fixed")
    screenshot(desktop, "12-staff-detail-closed")

    # Then the stats count one more fixed item
    after = fixed_count(desktop, site)
    assert after == before + 1
    expect(desktop.locator("svg.chart .chart__label", has_text="Kettle")).to_be_visible()
    screenshot(desktop, "13-staff-stats")
    # ...named in the volunteer's language
    desktop.select_option("#language-select", "nl")
    expect(desktop.locator("svg.chart .chart__label", has_text="Waterkoker")).to_be_visible()
    screenshot(desktop, "13b-staff-stats-nl")
    assert_no_unexpected_errors(errors)


def test_staff_sees_a_version_conflict(site: Site, browser: Browser) -> None:
    repair_id, _ = create_repair_through_api(browser.new_page(), site)
    coordinator = site.staff["coordinator"]
    context = new_context(browser, viewport=DESKTOP)
    first, second = context.new_page(), context.new_page()
    for page in (first, second):
        page.goto(site.url("/staff/sign-in"))
        page.fill("#username", coordinator["username"])
        page.fill("#password", coordinator["password"])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"^[^?]*/staff$"))
        page.goto(site.url(f"/staff/repairs/{repair_id}"))
        expect(page.get_by_test_id("staff-status")).to_have_text("Submitted")

    # Given the request accepted in one tab
    save_status(first, "Accept", "Accepted by a volunteer")
    # When the other, stale tab tries to change it too
    second.get_by_label("Cancel the request").check()
    second.get_by_role("button", name="Save").click()
    # Then the conflict is shown with a reload, and reloading shows the current state
    conflict = second.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    screenshot(second, "14-staff-conflict")
    conflict.get_by_role("button", name="Reload").click()
    expect(second.get_by_test_id("staff-status")).to_have_text("Accepted by a volunteer")
    context.close()
