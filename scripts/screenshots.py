"""Screenshots of each main page in each language, for docs/screenshots/ (`make screenshots`).

Starts a private local stack (free ports, like the e2e tests) and walks the app in Debian's
Chromium as a person and a coordinator would, once per language: report form, triage result,
tracking page, staff queue, staff repair, statistics and the advice editor, then the repair-café
pages: the public list of events, the prepare sheet and the table mode at phone size (the walk's
request books the one event made for the screenshots). Each screenshot is the first screen at a
moderate size, reduced to a small palette so the PNGs stay small in git.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from PIL import Image  # noqa: E402
from playwright.sync_api import Page, Playwright, expect, sync_playwright  # noqa: E402

from localaws.stack import LocalStack, StackPorts  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LANGUAGES = ("en", "nl", "fr", "de")
VIEWPORT = {"width": 760, "height": 900}
PHONE = {"width": 375, "height": 667}
COLOURS = 32
DATA_DIR = Path(os.environ.get("DATA_DIR", REPO_ROOT.parent / "shared" / "data"))
PHOTO = DATA_DIR / "caltech101_repair_subset" / "101_ObjectCategories" / "laptop" / "image_0002.jpg"
DESCRIPTIONS = {
    "en": "My laptop does not charge any more, the charger light stays off",
    "nl": "Mijn laptop laadt niet meer op, het lampje van de lader blijft uit",
    "fr": "Mon ordinateur portable ne se charge plus, le voyant du chargeur reste éteint",
    "de": "Mein Laptop lädt nicht mehr, die Lampe am Ladegerät bleibt aus",
}


def save(page: Page, out: Path, name: str) -> Path:
    """The visible screen as a small palette PNG (text and flat colours survive 32 colours)."""
    page.wait_for_load_state("networkidle")
    raw = page.screenshot(full_page=False)
    image = Image.open(io.BytesIO(raw)).convert("RGB").quantize(COLOURS)
    path = out / f"{name}.png"
    image.save(path, optimize=True)
    return path


def create_event(playwright: Playwright, base: str, staff: dict[str, str]) -> str:
    """One repair café next week that takes every category, made through the coordinators' API."""
    api = playwright.request.new_context(base_url=base)
    session = api.post(
        "/api/staff/sessions", data={"username": staff["username"], "password": staff["password"]}
    )
    assert session.ok, session.text()
    categories = api.get("/api/vocabulary").json()["categories"]
    day = (datetime.now(ZoneInfo("Europe/Brussels")) + timedelta(days=7)).date().isoformat()
    created = api.post(
        "/api/staff/events",
        data={"groupIdentifier": "Repair Café Gent", "place": "Buurthuis De Sleep",
              "address": "Sleepstraat 12", "postcode": "9000",
              "startsAt": f"{day}T14:00:00+01:00", "endsAt": f"{day}T17:00:00+01:00",
              "capacity": 20, "categories": categories,
              "skills": ["electrical", "computers", "textile"]},
        headers={"Authorization": f"Bearer {session.json()['idToken']}"},
    )  # fmt: skip
    assert created.status == 201, created.text()
    event_id: str = created.json()["eventId"]
    api.dispose()
    return event_id


def walk(
    page: Page, base: str, staff: dict[str, str], language: str, out: Path, event_id: str
) -> list[Path]:
    shots = []
    page.goto(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    shots.append(save(page, out, f"{language}-1-report"))

    page.set_input_files("#photo-input", str(PHOTO))
    expect(page.locator(".photo-picker__preview img")).to_be_visible()
    page.fill("#description", DESCRIPTIONS[language])
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/triage/[^/]+$"))
    expect(page.locator("#outcome-title")).to_be_visible()
    shots.append(save(page, out, f"{language}-2-triage"))

    page.fill("#contact-name", "Ann Peeters")
    page.fill("#contact-email", "ann.peeters@example.be")
    page.fill("#postcode", "9000")
    page.locator(f'#repair-request input[name="event"][value="{event_id}"]').check()
    page.check("#consent")
    page.locator('#repair-request button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/repairs/[^/?#]+#token=.+"))
    expect(page.get_by_test_id("tracking-status")).to_be_visible()
    repair_id = page.url.split("/repairs/")[1].split("#")[0]
    shots.append(save(page, out, f"{language}-3-tracking"))

    page.goto(f"{base}/staff/sign-in")
    page.fill("#username", staff["username"])
    page.fill("#password", staff["password"])
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/staff$"))
    expect(page.locator(".queue")).to_be_visible()
    shots.append(save(page, out, f"{language}-4-staff-queue"))
    page.goto(f"{base}/staff/repairs/{repair_id}")
    expect(page.locator("main h1")).to_be_visible()
    shots.append(save(page, out, f"{language}-5-staff-repair"))
    page.goto(f"{base}/staff/stats")
    expect(page.locator("#impact-title")).to_be_visible()
    shots.append(save(page, out, f"{language}-6-staff-stats"))
    page.goto(f"{base}/staff/advice")
    expect(page.locator("#advice-category")).to_be_visible(timeout=20_000)
    page.select_option("#advice-category", "laptop")
    shots.append(save(page, out, f"{language}-7-staff-advice"))

    page.goto(f"{base}/events?postcode=9000")
    expect(page.get_by_test_id("event-card").first).to_be_visible()
    shots.append(save(page, out, f"{language}-8-events"))
    page.goto(f"{base}/staff/events/{event_id}/prepare")
    expect(page.get_by_test_id("prepare-items")).to_be_visible()
    shots.append(save(page, out, f"{language}-9-staff-prepare"))
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/staff/events/{event_id}/table")
    page.locator(f'[data-testid="table-item"][data-repair-id="{repair_id}"]').click()
    expect(page.get_by_test_id("check-in")).to_be_visible()
    shots.append(save(page, out, f"{language}-10-staff-table-phone"))
    page.set_viewport_size(VIEWPORT)
    return shots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as state:
        stack = LocalStack(StackPorts.free(), state_dir=Path(state), quiet=True)
        with stack, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            event_id = create_event(playwright, stack.site_url, stack.demo_staff["coordinator"])
            shots: list[Path] = []
            for language in LANGUAGES:
                context = browser.new_context(viewport=VIEWPORT, locale=f"{language}-BE")
                # The language a visitor chose earlier (the switcher remembers it the same way).
                context.add_init_script(f"localStorage.setItem('repairapp.locale', '{language}')")
                page = context.new_page()
                shots += walk(
                    page,
                    stack.site_url,
                    stack.demo_staff["coordinator"],
                    language,
                    args.out,
                    event_id,
                )
                context.close()
            browser.close()
    total = sum(path.stat().st_size for path in shots)
    print(f"wrote {len(shots)} screenshots to {args.out} ({total / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
