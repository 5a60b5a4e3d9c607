"""Security headers on every answer: JSON, problem+json, the HTML report and static files."""

import re

from tests.support import start

BASELINE = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer"}


def assert_baseline(response) -> dict[str, str]:
    for name, value in BASELINE.items():
        assert response.headers.get(name) == value, (response.request.path, name)
    policy = dict(part.strip().split(" ", 1)
                  for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    return policy


def test_json_answers_and_problems_carry_the_headers_and_are_never_cached(client, officers):
    answers = [client.get("/api/tasks", headers=officers["ao"].headers),
               client.get("/api/tasks"),
               client.get("/api/applications/999", headers=officers["auditor"].headers),
               client.get("/api/nowhere"),
               client.post("/api/applications", data="{", content_type="application/json",
                           headers=officers["ao"].headers),
               client.get("/health"), client.get("/api/openapi.json")]
    assert [a.status_code for a in answers] == [200, 401, 404, 404, 400, 200, 200]
    for answer in answers:
        policy = assert_baseline(answer)
        assert set(policy) == {"default-src", "frame-ancestors", "base-uri", "form-action"}
        assert answer.headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in answer.headers  # plain HTTP


def test_https_answers_carry_strict_transport_security(client, officers):
    answer = client.get("/api/tasks", headers=officers["ao"].headers,
                        base_url="https://alur.example")
    assert answer.status_code == 200
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_html_report_may_use_its_own_style_by_nonce_and_nothing_inline_else(client,
                                                                                officers):
    created = start(client, officers["ao"])
    page = client.get(f"/api/applications/{created['id']}/audit?format=html",
                      headers=officers["auditor"].headers)
    assert page.status_code == 200 and page.mimetype == "text/html"
    policy = assert_baseline(page)
    assert page.headers["Cache-Control"] == "no-store"
    (nonce,) = re.findall(r"'nonce-([^']+)'", policy["style-src"])
    html = page.get_data(as_text=True)
    assert re.findall(r"<style[^>]*>", html) == [f'<style nonce="{nonce}">']
    assert "<script" not in html and " style=" not in html
    assert policy["script-src"] == "'self'"
    again = client.get(f"/api/applications/{created['id']}/audit?format=html",
                       headers=officers["auditor"].headers)
    assert nonce not in again.headers["Content-Security-Policy"]  # one nonce per answer


def test_static_files_carry_the_headers_and_may_be_cached(client):
    for path in ("/static/bpmn-js/bpmn-js.css",
                 "/static/bpmn-js/bpmn-navigated-viewer.production.min.js"):
        answer = client.get(path)
        assert answer.status_code == 200
        assert_baseline(answer)
        assert answer.headers.get("Cache-Control") != "no-store"
        answer.close()
