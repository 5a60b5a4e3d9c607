"""Auditors in the browser: the path on the diagram, verify, replay, the state at event N."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.support import to_approval


def test_an_auditor_sees_the_path_on_the_diagram_and_verifies_and_replays(
        page, client, officers, screens):
    app = to_approval(client, officers)
    sign_in(page, officers["auditor"])
    page.get_by_role("link", name="Aplikasi", exact=True).click()
    page.get_by_test_id("applications").get_by_role("link", name=app["number"]).click()

    diagram = page.get_by_test_id("diagram")
    expect(diagram).to_have_attribute("data-ready", "true")
    expect(diagram.locator(".djs-element.alur-current")).to_have_count(1)
    expect(diagram.locator('[data-element-id="approve_credit"]')).to_have_class(
        re.compile("alur-current"))
    expect(diagram.locator('[data-element-id="survey_applicant"]')).to_have_class(
        re.compile("alur-done"))
    expect(diagram.locator('[data-element-id="gw_prescreen"]')).to_have_class(
        re.compile("alur-decision"))
    expect(diagram.locator(".diagram-badge").first).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Gateway dilalui")

    page.get_by_role("button", name="Verifikasi rantai peristiwa").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("Rantai peristiwa utuh")
    page.get_by_role("button", name="Putar ulang (replay)").click()
    expect(page.get_by_test_id("replay-result")).to_contain_text("Direproduksi")
    screens.save(page, "ui_application_diagram", full_page=False)
    diagram.screenshot(path=str(screens.directory / "diagram_only.png"))

    page.get_by_test_id("state-slider").fill("12")
    expect(page.get_by_test_id("state-at")).to_contain_text("Survei pemohon")
    expect(diagram.locator('[data-element-id="survey_applicant"]')).to_have_class(
        re.compile("alur-current"))
    screens.save(page, "ui_point_in_time")
