"""What every browser test does: sign in as an officer through the page."""

from playwright.sync_api import expect


def sign_in(page, officer, language: str = "id") -> None:
    """Open /ui/, paste the officer's token and wait until the page greets them."""
    page.goto("/ui/")
    page.evaluate("() => sessionStorage.clear()")  # signed out, whoever was signed in
    page.reload()
    if language == "en":
        page.get_by_test_id("language").select_option("en")
    page.get_by_label("Access token" if language == "en" else "Token akses").fill(officer.token)
    page.get_by_role("button", name="Sign in" if language == "en" else "Masuk").click()
    expect(page.get_by_test_id("user-name")).to_have_text(officer.name)
    # the home page sends each role to its first page; wait for that before going elsewhere
    page.wait_for_function("() => window.location.hash.length > 2")
