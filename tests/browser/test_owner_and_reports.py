"""Process owners compare versions and read coverage; supervisors read the monthly report;
auditors print the audit report; account officers register an application."""

import io
import re
from pathlib import Path

from playwright.sync_api import expect

from engine.bootstrap import WORKFLOW_DIR
from tests.browser.helpers import sign_in
from tests.support import DOCUMENTS, done, start, through_disbursement


def deploy_renamed_survey(client, owner) -> None:
    bpmn = (WORKFLOW_DIR / "credit_application.bpmn").read_bytes().replace(
        b'name="Survey applicant"', b'name="Survey the applicant on site"')
    response = client.post("/api/definitions", headers=owner.headers,
                           content_type="multipart/form-data",
                           data={"file": (io.BytesIO(bpmn), "credit_application.bpmn")})
    assert response.status_code == 201, response.json


def test_a_process_owner_compares_two_versions_and_opens_the_coverage_diagram(
        page, client, officers, screens):
    app = start(client, officers["ao"])
    done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
    deploy_renamed_survey(client, officers["owner"])
    sign_in(page, officers["owner"])
    versions = page.get_by_test_id("versions-credit_application")
    expect(versions.locator("tbody tr")).to_have_count(2)
    diff = page.get_by_test_id("diff-credit_application")
    diff.get_by_label("Dari versi").select_option("1")
    diff.get_by_label("Ke versi").select_option("2")
    diff.get_by_role("button", name="Bandingkan").click()
    expect(diff.get_by_test_id("diff-result")).to_contain_text("survey_applicant")
    diagram = diff.get_by_test_id("diff-diagram")
    expect(diagram.locator('[data-element-id="survey_applicant"]')).to_have_class(
        re.compile("alur-changed"))
    screens.save(page, "ui_owner_diff")

    versions.get_by_role("link", name="Diagram cakupan credit_application v1").click()
    expect(page.get_by_test_id("coverage-figures")).to_contain_text("Simpul alur")
    coverage = page.get_by_test_id("coverage-diagram")
    expect(coverage.locator('[data-element-id="collect_documents"]')).to_have_class(
        re.compile("alur-done"))
    expect(coverage.locator('[data-element-id="vote_committee"]')).to_have_class(
        re.compile("alur-uncovered"))
    screens.save(page, "ui_owner_coverage")


def test_a_supervisor_reads_the_monthly_report_with_charts_and_downloads_the_csv(
        page, client, officers, screens):
    through_disbursement(client, officers)
    start(client, officers["ao2"])
    sign_in(page, officers["supervisor"])
    page.get_by_role("link", name="Laporan bulanan").click()
    page.get_by_label("Bulan").fill("2026-11")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_test_id("kpi-collected")).to_contain_text("Rp 160.000.000")
    for chart in ("pipeline", "approvals", "turnaround", "portfolio"):
        expect(page.get_by_test_id(f"chart-{chart}").locator("canvas")).to_have_attribute(
            "height", re.compile(r"\d+"))
    page.get_by_test_id("chart-pipeline").get_by_text("Tabel data").click()
    expect(page.get_by_test_id("chart-pipeline").locator("table")).to_contain_text("Pencairan")
    screens.save(page, "ui_monthly_report")
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh CSV").click()
    assert download.value.suggested_filename == "laporan-bulanan-2026-11.csv"
    csv = Path(download.value.path()).read_text(encoding="utf-8")
    assert csv.startswith("month,scope,") and ",total," in csv


def test_an_auditor_opens_the_printable_audit_report(page, client, officers, screens):
    app = through_disbursement(client, officers)
    sign_in(page, officers["auditor"])
    page.goto(f"/ui/#/applications/{app['id']}")
    page.get_by_role("link", name="Laporan audit (cetak)").click()
    report = page.get_by_test_id("audit-report")
    expect(report).to_contain_text("Rantai peristiwa utuh")
    expect(report).to_contain_text("Direproduksi")
    expect(report).to_contain_text("rule_within_policy")
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    screens.save(page, "ui_audit_report_print")
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh HTML").click()
    assert download.value.suggested_filename == f"audit-{app['number']}.html"


def test_an_account_officer_registers_an_application_after_fixing_the_nik(
        page, officers, screens):
    sign_in(page, officers["ao"])
    page.get_by_role("link", name="Aplikasi baru").click()
    form = page.locator(".schema-form")
    form.get_by_label("Produk").select_option(label="Kredit Multiguna")
    form.get_by_label("Jumlah pengajuan").fill("150000000")
    expect(form.locator("[id='root_amount__rupiah']")).to_have_text("Rp 150.000.000")
    form.get_by_label("Tenor (bulan)").fill("36")
    form.get_by_label("Nama lengkap (sesuai KTP)").fill("Dewi Lestari")
    form.get_by_label("NIK (16 digit)").fill("32730125")
    form.get_by_label("Tanggal lahir").fill("1990-04-12")
    form.get_by_label("Telepon / WhatsApp").fill("081234567890")
    form.get_by_label("Alamat").fill("Jl. Asia Afrika 8, Bandung")
    form.get_by_label("Pekerjaan").select_option(label="Karyawan")
    form.get_by_label("Penghasilan bersih per bulan").fill("25000000")
    form.get_by_label("Angsuran berjalan per bulan").fill("0")
    form.get_by_label("Jumlah tanggungan").fill("2")
    form.get_by_label("Jenis agunan").select_option(label="Kendaraan")
    form.get_by_label("Nilai taksasi").fill("300000000")
    page.get_by_role("button", name="Daftarkan").click()
    nik_error = page.locator("[id='root_applicant_nik__error']")
    expect(nik_error).to_have_text("NIK harus tepat 16 digit.")
    screens.save(page, "ui_new_application_errors")
    form.get_by_label("NIK (16 digit)").fill("3273012504900002")
    page.get_by_role("button", name="Daftarkan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("terdaftar")
