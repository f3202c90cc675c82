"""A result as people use it: every visible word follows the chosen language, and on a phone the
request form is one tap away, with the person's own photo and words on top."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import PHONE, BrowserErrors, Site
from .test_spa import PHOTO, assert_no_unexpected_errors

# Short, frequent words that exist in one of the four languages only. A visible text in another
# language trips at least one of them.
STOP_WORDS = {
    "nl": ("het", "een", "niet", "jouw", "wordt", "ook", "voor", "naar", "vaak"),
    "en": ("the", "your", "and", "with", "often", "does", "likely"),
    "fr": ("le", "la", "les", "votre", "une", "est", "pour", "vous"),
    "de": ("der", "und", "nicht", "ist", "eine", "oder", "Sie", "Ihr"),
}
HEADINGS = {
    "nl": "Kansen op herstel",
    "fr": "Chances de réparation",
    "de": "Reparaturchancen",
    "en": "Chances of the repair",
}
# Quoted people's words (the person's own, and real repair records in the language they were
# written in) and the CC BY-SA attribution, which is cited as published: not interface text.
QUOTED = (
    ".own-words__text, .similar-record__problem, .similar-record__meta, "
    ".similar-records__attribution"
)


def visible_text(page: Page) -> str:
    text: str = page.evaluate(
        """(quoted) => {
             const main = document.querySelector('main').cloneNode(true)
             main.querySelectorAll(quoted).forEach((node) => node.remove())
             const header = document.querySelector('header').innerText
             return [header, main.innerText, document.title,
                     document.querySelector('meta[name="description"]').content].join('\\n')
           }""",
        QUOTED,
    )
    return text


def words_of_other_languages(text: str, language: str) -> list[str]:
    found = []
    for other, words in STOP_WORDS.items():
        if other == language:
            continue
        found += [
            f"{other}:{word}"
            for word in words
            if re.search(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text, re.IGNORECASE)
        ]
    return found


def make_a_triage(page: Page, site: Site) -> None:
    page.goto(site.url("/"))
    page.select_option("#language-select", "en")
    page.set_input_files("#photo-input", str(PHOTO))
    expect(page.locator(".photo-picker__preview img")).to_be_visible()
    page.fill(
        "#description",
        "My laptop does not charge any more and the battery is swollen, "
        "the charger light stays off",
    )
    page.get_by_role("button", name="Get my triage").click()
    page.wait_for_url(re.compile(r"/triage/[^/]+$"))
    expect(page.get_by_role("heading", name=HEADINGS["en"])).to_be_visible()


def test_a_result_switched_between_all_four_languages_keeps_nothing_of_the_previous_one(
    site: Site, phone: Page, errors: BrowserErrors
) -> None:
    # Given a result in English, with advice, faults and a safety warning from the server
    make_a_triage(phone, site)
    expect(phone.locator("#advice-title")).to_be_visible()
    expect(phone.locator(".safety__item")).not_to_have_count(0)

    for language in ("nl", "fr", "de", "en"):
        # When the person switches language
        phone.select_option("#language-select", language)
        expect(phone.get_by_role("heading", name=HEADINGS[language])).to_be_visible()
        expect(phone.locator("html")).to_have_attribute("lang", language)
        text = visible_text(phone)

        # Then no visible word is left in another language, the server's texts included
        assert words_of_other_languages(text, language) == [], (language, text)
        if language == "en":  # English groups thousands with a comma, not the Belgian dot
            assert not re.search(r"\b\d{1,3}\.\d{3}\b", text), text
        if language == "fr":  # « : » and « ? » never start a line: a no-break space before
            assert not re.search(r"[^\W\d][:;?!](\s|$)|[ ][:;?!%]", text), text
            assert "Conseils\u00a0:" in text
        if language == "nl":  # one register: the interface and the advice say "je"
            assert not re.search(r"\b(u|uw)\b", text, re.IGNORECASE), text
        assert not re.search(r"100\s?%", text), text  # no estimate reads as a promise
    assert_no_unexpected_errors(errors)


def test_on_a_phone_the_request_form_is_one_tap_from_the_top_of_the_result(
    site: Site, phone: Page, errors: BrowserErrors
) -> None:
    # Given a result on a phone
    make_a_triage(phone, site)

    # Then their own photo and words sit on top, and the request action is in the first screen
    expect(phone.get_by_test_id("own-photo")).to_be_visible()
    expect(phone.get_by_test_id("own-words")).to_contain_text("battery is swollen")
    jump = phone.get_by_test_id("jump-to-request")
    box = jump.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], box
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # When they tap it, the form is on screen with its first field focused
    jump.click()
    expect(phone.locator("#contact-name")).to_be_in_viewport()
    expect(phone.locator("#contact-name")).to_be_focused()
    assert_no_unexpected_errors(errors)


def test_the_site_has_a_favicon(site: Site, phone: Page) -> None:
    phone.goto(site.url("/"))
    href = phone.locator('link[rel="icon"]').get_attribute("href")

    response = phone.request.get(site.url(href or "/favicon.ico"))

    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
