"""The words name the item: a triage without a photo, in each of the four languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import BrowserErrors, Site, screenshot


@pytest.mark.parametrize(
    ("language", "description", "category", "label"),
    [
        ("nl", "Mijn waterkoker slaat niet meer aan", "Kettle", "Waterkoker"),
        ("fr", "Mon grille-pain ne chauffe plus d'un côté", "Toaster", "Grille-pain"),
        ("en", "My kettle switch does not stay on any more", "Kettle", "Kettle"),
        ("de", "Mein Staubsauger saugt nicht mehr richtig", "Vacuum", "Staubsauger"),
    ],
)
def test_a_no_photo_triage_preselects_the_item_the_words_name(
    site: Site,
    phone: Page,
    errors: BrowserErrors,
    language: str,
    description: str,
    category: str,
    label: str,
) -> None:
    # Given the report screen in the person's language, and no photo
    phone.goto(site.url("/"))
    phone.select_option("#language-select", language)

    # When they only describe the problem and ask for a triage
    phone.fill("#description", description)
    phone.locator("form button[type=submit]").first.click()

    # Then the triage offers the item their words name, already chosen in the picker
    phone.wait_for_url(re.compile(r"/triage/[^/]+$"))
    expect(phone.get_by_test_id("category-from-text")).to_contain_text(label)
    expect(phone.locator("#pick-category")).to_have_value(category)
    # ...and real past repairs of that item, with the records' licence and source
    expect(phone.get_by_test_id("similar-record")).not_to_have_count(0)
    expect(phone.locator(".similar-records__attribution")).to_contain_text("CC BY-SA 4.0")
    screenshot(phone, f"10-words-{language}")
    assert [m for m in errors.messages if "Failed to load resource" not in m] == []


def test_the_person_can_correct_the_item_the_words_suggested(site: Site, phone: Page) -> None:
    # Given a no-photo triage whose words name a kettle
    phone.goto(site.url("/"))
    phone.select_option("#language-select", "en")
    phone.fill("#description", "The kettle does not switch off by itself")
    phone.locator("form button[type=submit]").first.click()
    phone.wait_for_url(re.compile(r"/triage/[^/]+$"))
    expect(phone.locator("#pick-category")).to_have_value("Kettle")
    first = phone.url

    # When the person picks another item and updates the triage
    phone.select_option("#pick-category", "Coffee maker")
    phone.get_by_role("button", name="Update my triage").click()

    # Then the new triage is about the item they chose
    phone.wait_for_url(lambda url: url != first and "/triage/" in url)
    expect(phone.locator(".category__label")).to_have_text("Coffee maker")
