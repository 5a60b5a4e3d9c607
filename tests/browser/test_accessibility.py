"""Accessibility basics: every input has a label, and a form can be completed by keyboard only."""

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.support import start

UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML)"""


def assert_every_input_is_labelled(page) -> None:
    assert page.evaluate(UNLABELLED) == []


def test_an_officer_completes_a_form_with_the_keyboard_only(page, client, officers, screens):
    app = start(client, officers["ao"])
    task_id = app["open_tasks"][0]["id"]
    page.goto("/ui/")
    assert_every_input_is_labelled(page)
    for _ in range(5):  # from the page's heading to the token field
        if page.evaluate("() => document.activeElement.id") == "token":
            break
        page.keyboard.press("Tab")
    page.keyboard.type(officers["ao"].token)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("user-name")).to_have_text("ao")
    page.wait_for_function("() => window.location.hash.length > 2")  # sent to the inbox first
    assert_every_input_is_labelled(page)

    page.goto(f"/ui/#/tasks/{task_id}")
    claim = page.get_by_role("button", name="Ambil")
    expect(claim).to_be_visible()
    assert_every_input_is_labelled(page)
    for _ in range(30):  # Tab from the top of the page to the claim button
        if page.evaluate("() => document.activeElement.textContent") == "Ambil":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("KTP (kartu tanda penduduk)")).to_be_focused()
    for _ in range(5):  # the five documents: Space ticks, Tab moves on
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
    expect(page.get_by_label("Catatan")).to_be_focused()
    page.keyboard.type("Semua dokumen asli sudah diperiksa.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Kirim")).to_be_focused()
    screens.save(page, "ui_keyboard_form")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("moved-on")).to_contain_text("Survei")
    expect(page.get_by_role("heading", name="Tugas selesai.")).to_be_focused()


def test_every_page_labels_its_inputs(page, client, officers):
    app = start(client, officers["ao"])
    sign_in(page, officers["supervisor"])
    for route in ("#/inbox", "#/applications", f"#/applications/{app['id']}", "#/definitions",
                  "#/reports"):
        page.goto(f"/ui/{route}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert_every_input_is_labelled(page)
    sign_in(page, officers["ao"])
    page.goto("/ui/#/new")
    expect(page.get_by_label("NIK (16 digit)")).to_be_visible()
    assert_every_input_is_labelled(page)
