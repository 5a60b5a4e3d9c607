"""Every role signs in with its token and lands on its own pages, in Indonesian or English."""

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.support import start

HOME = {  # officer fixture -> the page a role lands on and the menu it sees
    "ao": ("Kotak tugas", ["Kotak tugas", "Aplikasi", "Aplikasi baru"]),
    "surveyor": ("Kotak tugas", ["Kotak tugas", "Aplikasi"]),
    "analyst": ("Kotak tugas", ["Kotak tugas", "Aplikasi"]),
    "bcm": ("Kotak tugas", ["Kotak tugas", "Aplikasi"]),
    "ops": ("Kotak tugas", ["Kotak tugas", "Aplikasi"]),
    "collector": ("Kotak tugas", ["Kotak tugas", "Aplikasi"]),
    "supervisor": ("Kotak tugas", ["Kotak tugas", "Aplikasi", "Versi proses", "Laporan bulanan"]),
    "auditor": ("Aplikasi kredit", ["Aplikasi", "Audit", "Versi proses", "Laporan bulanan"]),
    "owner": ("Versi proses yang terpasang", ["Versi proses", "Laporan bulanan"]),
}


def test_each_role_signs_in_and_sees_its_own_menu(page, client, officers, screens):
    start(client, officers["ao"])
    for name, (heading, menu) in HOME.items():
        sign_in(page, officers[name])
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        nav = page.get_by_role("navigation", name="Navigasi utama")
        expect(nav.get_by_role("link")).to_have_text(menu)
        screens.save(page, f"ui_home_{name}", full_page=False)
        page.get_by_role("button", name="Keluar").click()
        expect(page.get_by_label("Token akses")).to_be_visible()


def test_a_wrong_token_is_refused_and_the_session_keeps_only_the_token(page, officers):
    page.goto("/ui/")
    page.get_by_label("Token akses").fill("not-a-token")
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator("#token-error")).to_have_text("Token tidak dikenal atau sudah dicabut.")
    sign_in(page, officers["ao"])
    stored = page.evaluate("() => Object.keys(sessionStorage)")
    assert stored == ["alur.token"]
    assert page.evaluate("() => document.cookie") == ""
    page.reload()  # the tab keeps the session; the page asks GET /api/me again
    expect(page.get_by_test_id("user-name")).to_have_text("ao")


def test_english_labels_and_rupiah_in_indonesian_format(page, client, officers, screens):
    app = start(client, officers["ao"])
    sign_in(page, officers["ao"], language="en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    row = page.get_by_test_id("inbox").locator("tr", has_text=app["number"])
    row.get_by_role("button", name="Claim").click()
    row.get_by_role("link", name="Open").click()
    expect(page.get_by_label("KTP (identity card)")).to_be_visible()
    expect(page.get_by_test_id("summary-amount")).to_have_text("Rp 80.000.000")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screens.save(page, "ui_form_english")
    page.get_by_test_id("language").select_option("id")
    expect(page.get_by_label("KTP (kartu tanda penduduk)")).to_be_visible()
