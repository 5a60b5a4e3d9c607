"""The browser front end's server side: /ui/ under the HTML CSP, /api/me, version coverage."""

import re

from tests.support import DOCUMENTS, done, start


def fetch(client, path: str):
    """Status, headers and text of a GET, with the file it streams closed."""
    with client.get(path) as response:
        return response.status_code, response.headers, response.get_data(as_text=True)


def test_the_page_is_same_origin_scripts_and_styles_only(client):
    status, headers, html = fetch(client, "/ui/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe" not in policy
    assert not re.search(r"<script(?![^>]*\ssrc=)", html), "an inline script"
    assert "<style" not in html and " style=" not in html
    for asset in re.findall(r'(?:src|href)="\.\./(static/ui/[^"?]+)', html):
        assert fetch(client, f"/{asset}")[0] == 200, asset


def test_the_page_bundle_has_no_eval(client):
    bundle = fetch(client, "/static/ui/app.js")[2]
    assert "new Function(" not in bundle and "eval(" not in bundle


def test_me_tells_the_token_s_user_and_refuses_a_bad_token(client, officers):
    me = client.get("/api/me", headers=officers["bm"].headers)
    assert me.status_code == 200
    assert me.json == {"name": "bm", "roles": ["approver"], "authority_limit": 1_000_000_000,
                       "branch": "main"}
    assert client.get("/api/me").status_code == 401
    assert client.get("/api/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_a_version_s_coverage_counts_what_its_applications_went_through(client, officers):
    app = start(client, officers["ao"])
    done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
    coverage = client.get("/api/definitions/credit_application/versions/1/coverage",
                          headers=officers["owner"].headers)
    assert coverage.status_code == 200, coverage.json
    assert {"start_application", "collect_documents", "survey_applicant"} <= set(
        coverage.json["covered_nodes"])
    assert "flow_documents_complete" in coverage.json["covered_flows"]
    assert "vote_committee" in coverage.json["uncovered_nodes"]
    assert coverage.json["nodes"]["covered"] == len(coverage.json["covered_nodes"])
    missing = client.get("/api/definitions/credit_application/versions/7/coverage",
                         headers=officers["owner"].headers)
    assert missing.status_code == 404
    denied = client.get("/api/definitions/credit_application/versions/1/coverage",
                        headers=officers["ao"].headers)
    assert denied.status_code == 403
