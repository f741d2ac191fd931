"""The site comes up in a real browser and offers a way in."""

from __future__ import annotations

import re

from playwright.sync_api import ConsoleMessage, Response, expect


def test_login_page_shows_a_sign_in_form(page):
    page.goto("/accounts/login/")

    expect(page).to_have_title(re.compile("Sign in"))
    form = page.locator('form:has(input[name="password"])')
    expect(form.locator('input[name="username"]')).to_be_visible()
    expect(form.locator('input[name="password"]')).to_be_visible()
    expect(form.locator('[type="submit"]')).to_be_visible()


def test_signing_in_with_a_wrong_password_stays_on_the_login_page(page, django_user_model):
    django_user_model.objects.create_user(email="someone@example.org", password="right-password")
    page.goto("/accounts/login/")

    page.fill('input[name="username"]', "someone@example.org")
    page.fill('input[name="password"]', "wrong-password")
    page.locator('form:has(input[name="password"]) [type="submit"]').click()

    expect(page).to_have_url(re.compile("/accounts/login/"))
    expect(page.locator('input[name="username"]')).to_have_value("someone@example.org")


def test_signing_in_leaves_the_login_page(page, sign_in, django_user_model):
    django_user_model.objects.create_user(email="someone@example.org", password="right-password")

    sign_in(page, "someone@example.org", "right-password")

    expect(page).not_to_have_url(re.compile("/accounts/login/"))


def test_pages_load_their_vendored_assets_without_errors(page):
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", on_response)

    page.goto("/accounts/login/")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("typeof window.htmx === 'object' && typeof window.bootstrap === 'object'")
    assert problems == []
