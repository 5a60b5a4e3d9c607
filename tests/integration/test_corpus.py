"""Diagrams as other tools write them, deployed as files: a clear answer for each, quickly.

tests/corpus holds BPMN files of many shapes (modeler exports, vendor extensions, broken and
hostile files); a few more are generated here because they are big. Deploying any of them answers
2xx, 413 or 422 with readable problems: never a 500, never a hang (each answer within 30 seconds, a
bound and not a benchmark), and without the server's memory growing by hundreds of megabytes.
"""

import io
import resource
import time
from pathlib import Path

import pytest

from tests.diagrams import multipart

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
CORPUS = sorted(CORPUS_DIR.glob("*.bpmn"))
MAX_SECONDS = 30  # a bound against hangs (entity bombs, runaway regexes), not a speed test
MAX_GROWTH_BYTES = 200 * 1024 * 1024

# Files no engine may accept: not a diagram at all, XML bombs, file reads, code escaping the
# sandbox, and a user task whose form is neither uploaded nor deployed.
REFUSED = {
    "02_user_task_lane_account_officer_missing_form.bpmn",
    "23_script_task_import_os.bpmn",
    "24_script_dunder_escape.bpmn",
    "26_empty_file.bpmn",
    "27_plain_text.bpmn",
    "28_json_content.bpmn",
    "29_png_bytes.bpmn",
    "30_zip_archive_renamed.bpmn",
    "31_billion_laughs_entities.bpmn",
    "32_xxe_external_entity.bpmn",
    "33_xxe_utf16.bpmn",
    "48_truncated_xml.bpmn",
    "49_html_error_page.bpmn",
}

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_generated" '
        'targetNamespace="http://bpmn.io/schema/bpmn" exporter="generator" exporterVersion="1">\n')


def _document(process_body: str, process_id: str = "generated") -> bytes:
    return (f'{HEAD}<bpmn:process id="{process_id}" isExecutable="true">\n{process_body}'
            "</bpmn:process>\n</bpmn:definitions>\n").encode()


def chain(tasks: int, name_padding: int = 0) -> bytes:
    """start → t0 → … → t(n-1) → end, one task and one flow per line like a modeler writes."""
    pad = "x" * name_padding
    lines = ['<bpmn:startEvent id="start" />', '<bpmn:endEvent id="end" />',
             '<bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="t0" />',
             f'<bpmn:sequenceFlow id="f_end" sourceRef="t{tasks - 1}" targetRef="end" />']
    for i in range(tasks):
        lines.append(f'<bpmn:task id="t{i}" name="Task {i} {pad}" />')
        if i + 1 < tasks:
            lines.append(f'<bpmn:sequenceFlow id="f{i}" sourceRef="t{i}" '
                         f'targetRef="t{i + 1}" />')
    return _document("\n".join(lines) + "\n")


def huge(size: int) -> bytes:
    """A chain of tasks of at most about `size` bytes (ids of five digits)."""
    per_task = len(f'<bpmn:task id="t99999" name="Task 99999 {"x" * 40}" />\n'
                   '<bpmn:sequenceFlow id="f99999" sourceRef="t99999" targetRef="t99999" />\n')
    return chain(size // per_task, 40)


def decision_ladder(size: int) -> bytes:
    """Exclusive gateways in a row, each testing the amount and defaulting to the next one."""
    unit = ('<bpmn:exclusiveGateway id="g{i}" default="d{i}" />\n'
            '<bpmn:task id="t{i}" />\n'
            '<bpmn:sequenceFlow id="c{i}" sourceRef="g{i}" targetRef="t{i}">'
            '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">amount &gt; {i}'
            "</bpmn:conditionExpression></bpmn:sequenceFlow>\n"
            '<bpmn:sequenceFlow id="d{i}" sourceRef="g{i}" targetRef="g{j}" />\n'
            '<bpmn:sequenceFlow id="e{i}" sourceRef="t{i}" targetRef="end" />\n')
    count = size // len(unit.format(i=99999, j=99999))
    body = ['<bpmn:startEvent id="start" />', '<bpmn:endEvent id="end" />',
            '<bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="g0" />',
            f'<bpmn:exclusiveGateway id="g{count}" />',
            f'<bpmn:sequenceFlow id="f_end" sourceRef="g{count}" targetRef="end" />']
    body += [unit.format(i=i, j=i + 1) for i in range(count)]
    return _document("\n".join(body) + "\n")


def nested(depth: int) -> bytes:
    """`depth` sub-processes, each inside the previous one."""
    inner = ('<bpmn:startEvent id="s_in" /><bpmn:endEvent id="e_in" />'
             '<bpmn:sequenceFlow id="f_in" sourceRef="s_in" targetRef="e_in" />')
    for level in reversed(range(depth)):
        inner = (f'<bpmn:startEvent id="s{level}" /><bpmn:subProcess id="sub{level}">{inner}'
                 f'</bpmn:subProcess><bpmn:endEvent id="e{level}" />'
                 f'<bpmn:sequenceFlow id="a{level}" sourceRef="s{level}" targetRef="sub{level}" />'
                 f'<bpmn:sequenceFlow id="b{level}" sourceRef="sub{level}" '
                 f'targetRef="e{level}" />')
    return _document(inner + "\n")


GENERATED = {
    "huge_3_mb_of_tasks": lambda: [("huge.bpmn", huge(3 * 1024 * 1024))],
    "1_9_mb_of_tasks_under_the_file_limit": lambda: [("big.bpmn", huge(1_900_000))],
    "600_kb_decision_ladder": lambda: [("ladder.bpmn", decision_ladder(600_000))],
    "500_tasks_in_sequence": lambda: [("five_hundred.bpmn", chain(500))],
    "200_nested_subprocesses": lambda: [("deep.bpmn", nested(200))],
    "51_files_in_one_upload": lambda: [(f"copy_{n}.bpmn", chain(1)) for n in range(51)],
}


def peak_memory() -> int:
    """This process's peak resident size in bytes (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def check_answer(response, elapsed: float, growth: int) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 201, 413, 422), \
        f"{response.status_code}: {body[:1000]}"
    assert elapsed < MAX_SECONDS, f"answered in {elapsed:.2f} s"
    assert growth < MAX_GROWTH_BYTES, f"peak memory grew by {growth / 2**20:.0f} MB"
    if response.status_code >= 400:
        assert response.headers["Content-Type"] == "application/problem+json", body[:500]
    if response.status_code == 422:
        problems = response.json["problems"]
        assert problems, body[:500]
        assert all(isinstance(p["message"], str) and p["message"] for p in problems), body[:1000]
    assert "root:" not in body


def test_the_corpus_has_at_least_thirty_files():
    assert len(CORPUS) >= 30
    assert REFUSED <= {path.name for path in CORPUS}


@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_every_corpus_file_gets_a_clear_answer_quickly(client, officers, path):
    content = path.read_bytes()
    before = peak_memory()
    began = time.perf_counter()
    response = client.post("/api/definitions", data={"files": (io.BytesIO(content), path.name)},
                           headers=officers["owner"].headers, content_type="multipart/form-data")
    elapsed = time.perf_counter() - began
    check_answer(response, elapsed, peak_memory() - before)
    if path.name in REFUSED:
        assert response.status_code in (413, 422), response.get_data(as_text=True)[:500]


@pytest.mark.parametrize("name", GENERATED)
def test_every_generated_upload_gets_a_clear_answer_quickly(client, officers, name):
    # Encoded by hand: the test client would spool a big upload to a file it never closes.
    body, content_type = multipart(GENERATED[name]())
    before = peak_memory()
    began = time.perf_counter()
    response = client.post("/api/definitions", data=body, headers=officers["owner"].headers,
                           content_type=content_type)
    elapsed = time.perf_counter() - began
    check_answer(response, elapsed, peak_memory() - before)
    if name in ("huge_3_mb_of_tasks", "51_files_in_one_upload"):
        assert response.status_code == 413, response.get_data(as_text=True)[:500]
