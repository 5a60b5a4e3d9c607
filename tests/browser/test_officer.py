"""Officers in the browser: sign in, take a task from the inbox, a form with errors, fixed."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.support import DOCUMENTS, application, done, start


def test_a_surveyor_takes_a_task_fixes_the_form_errors_and_the_application_moves_on(
        page, client, officers, clock, screens):
    late = start(client, officers["ao"], application(applicant__name="Siti Rahayu"))
    done(client, officers["ao"], late["id"], "collect_documents", DOCUMENTS)
    clock.advance(days=6)  # the first survey is now past its 3 working days
    app = start(client, officers["ao"])
    done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)

    sign_in(page, officers["surveyor"])
    inbox = page.get_by_test_id("inbox")
    expect(inbox.locator("tr.overdue", has_text=late["number"])).to_contain_text("Terlambat")
    expect(page.get_by_test_id("stage-counts")).to_contain_text("Survei")
    row = inbox.locator("tr", has_text=app["number"])
    row.get_by_role("button", name="Ambil").click()
    expect(row).to_contain_text("surveyor")
    screens.save(page, "ui_inbox")
    page.get_by_test_id("sort-created_at").click()  # by age: oldest first, then newest first
    expect(inbox.locator("tbody tr").first).to_contain_text(late["number"])
    page.get_by_test_id("sort-created_at").click()
    expect(inbox.locator("tbody tr").first).to_contain_text(app["number"])
    page.get_by_role("radio", name="Milik saya").check()  # mine: only the claimed one
    expect(inbox.locator("tbody tr")).to_have_count(1)

    row.get_by_role("link", name="Buka").click()
    expect(page.get_by_test_id("summary-applicant")).to_have_text("Budi Santoso")
    expect(page.get_by_test_id("summary-amount")).to_have_text("Rp 80.000.000")
    form = page.locator(".schema-form")
    form.get_by_label("Hasil survei").select_option(label="Tidak valid")
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    reason = form.get_by_label("Alasan penolakan")
    reason_error = f"{reason.get_attribute('id')}__error"
    expect(reason).to_have_attribute("aria-describedby", re.compile(reason_error))
    expect(page.locator(f"[id='{reason_error}']")).to_have_text("Pilih alasannya.")
    income = form.get_by_label("Penghasilan bersih terverifikasi per bulan")
    expect(income).to_have_attribute("aria-invalid", "true")
    screens.save(page, "ui_form_errors")

    income.fill("15.000.000")
    expect(form.locator(".rupiah-preview")).to_have_text("Rp 15.000.000")
    form.get_by_label("Tempat tinggal terverifikasi").check()
    form.get_by_label("Pekerjaan atau usaha terverifikasi").check()
    form.get_by_label("Jumlah tanggungan").fill("1")
    form.get_by_label("Hasil survei").select_option(label="Valid")
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_test_id("moved-on")).to_contain_text("Analisis")
    expect(page.get_by_test_id("summary-stage")).to_have_text("Analisis")
    screens.save(page, "ui_form_submitted")


def test_an_officer_sees_the_path_of_a_case_on_the_diagram(page, client, officers):
    app = start(client, officers["ao"])
    done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
    sign_in(page, officers["surveyor"])
    page.get_by_role("link", name="Aplikasi", exact=True).click()
    page.get_by_test_id("applications").get_by_role("link", name=app["number"]).click()
    diagram = page.get_by_test_id("diagram")
    expect(diagram).to_have_attribute("data-ready", "true")
    expect(diagram.locator('[data-element-id="survey_applicant"]')).to_have_class(
        re.compile("alur-current"))
    expect(diagram.locator('[data-element-id="collect_documents"]')).to_have_class(
        re.compile("alur-done"))
