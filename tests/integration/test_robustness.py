"""Any diagram a modeler or another tool produces gets a clear answer: 2xx, or 4xx with problems.

Never a 500, never a hang: each answer comes within 2 seconds (a bound, not a benchmark).
"""

import time

import pytest

from tests.diagrams import FORM, HEAD, diagram, form_task, multipart, simple

B = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def doc(body: str) -> bytes:
    return (HEAD + body + "</bpmn:definitions>").encode()


def process(inner: str, pid: str = "p", executable: str = "true") -> str:
    return f'<bpmn:process id="{pid}" isExecutable="{executable}">{inner}</bpmn:process>'


START_END = ('<bpmn:startEvent id="s" /><bpmn:endEvent id="e" />'
             '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" />')


def chain(n: int) -> bytes:
    tasks = "".join(f'<bpmn:task id="t{i}" />' for i in range(n))
    flows = "".join(f'<bpmn:sequenceFlow id="f{i}" sourceRef="t{i}" targetRef="t{i + 1}" />'
                    for i in range(n - 1))
    return doc(process('<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="fs" sourceRef="s" '
                       f'targetRef="t0" />{tasks}{flows}<bpmn:endEvent id="e" />'
                       f'<bpmn:sequenceFlow id="fe" sourceRef="t{n - 1}" targetRef="e" />'))


def nested(depth: int) -> bytes:
    inner = START_END
    for level in range(depth):
        inner = (f'<bpmn:startEvent id="s{level}" /><bpmn:subProcess id="sub{level}">{inner}'
                 f'</bpmn:subProcess><bpmn:sequenceFlow id="fs{level}" sourceRef="s{level}" '
                 f'targetRef="sub{level}" />')
    return doc(process(inner))


CORPUS: dict[str, bytes] = {
    "minimal start to end": doc(process(START_END)),
    "valid user task with its form": simple(),
    "no diagram interchange": doc(process(START_END)),
    "collaboration, two pools, message flow": doc(
        '<bpmn:collaboration id="c"><bpmn:participant id="bank" processRef="p" />'
        '<bpmn:participant id="debtor" /><bpmn:messageFlow id="m" sourceRef="bank" '
        'targetRef="debtor" /></bpmn:collaboration>' + process(START_END)),
    "lanes with unknown roles": simple(lane="Back office"),
    "non-executable process map": doc(process(START_END, executable="false")),
    "no process at all": doc(""),
    "no start event": doc(process('<bpmn:endEvent id="e" />')),
    "two start events": doc(process(START_END + '<bpmn:startEvent id="s2" />'
                                    '<bpmn:sequenceFlow id="f2" sourceRef="s2" targetRef="e" />')),
    "dangling sequence flow": doc(process('<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" '
                                          'sourceRef="s" targetRef="nowhere" />')),
    "duplicate ids": doc(process('<bpmn:startEvent id="x" /><bpmn:endEvent id="x" />')),
    "JUEL condition": doc(process(
        '<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="g" /><bpmn:endEvent id="e" />'
        '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="g" /><bpmn:sequenceFlow id="f2" '
        'sourceRef="g" targetRef="e"><bpmn:conditionExpression>${amount &gt; 5}'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>")),
    "camunda vocabulary": doc(process(
        '<bpmn:startEvent id="s" /><bpmn:userTask id="u" camunda:assignee="budi" '
        'camunda:asyncBefore="true" /><bpmn:serviceTask id="svc" camunda:class="x.Y" />'
        '<bpmn:endEvent id="e" />')),
    "vendor extensions (Signavio-like)": doc(process(
        '<bpmn:startEvent id="s"><bpmn:extensionElements><signavio:signavioMetaData '
        'xmlns:signavio="http://www.signavio.com" metaKey="bgcolor" metaValue="#ffffff" />'
        "</bpmn:extensionElements></bpmn:startEvent><bpmn:endEvent id=\"e\" />"
        '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" />')),
    "timer not ISO 8601": doc(process(
        START_END + '<bpmn:intermediateCatchEvent id="w"><bpmn:timerEventDefinition id="td">'
        '<bpmn:timeDuration>"three days"</bpmn:timeDuration></bpmn:timerEventDefinition>'
        "</bpmn:intermediateCatchEvent>")),
    "timer valid ISO 8601": doc(process(
        '<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="w"><bpmn:timerEventDefinition '
        'id="td"><bpmn:timeDuration>"P3D"</bpmn:timeDuration></bpmn:timerEventDefinition>'
        '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f1" '
        'sourceRef="s" targetRef="w" /><bpmn:sequenceFlow id="f2" sourceRef="w" targetRef="e" />')),
    "interrupting event subprocess": doc(process(
        START_END + '<bpmn:subProcess id="es" triggeredByEvent="true"><bpmn:startEvent id="es_s" />'
        "</bpmn:subProcess>")),
    "service task without operator": doc(process(START_END + '<bpmn:serviceTask id="svc" />')),
    "script imports os": doc(process(START_END + '<bpmn:scriptTask id="sc"><bpmn:script>'
                                     "import os</bpmn:script></bpmn:scriptTask>")),
    "script dunder escape": doc(process(START_END + '<bpmn:scriptTask id="sc"><bpmn:script>'
                                        "x = ().__class__.__base__.__subclasses__()"
                                        "</bpmn:script></bpmn:scriptTask>")),
    "call activity to a missing process": doc(process(
        '<bpmn:startEvent id="s" /><bpmn:callActivity id="call" calledElement="elsewhere" />'
        '<bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call" />'
        '<bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="e" />')),
    "inclusive and parallel gateways": doc(process(
        '<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" /><bpmn:task id="a" />'
        '<bpmn:task id="b" /><bpmn:parallelGateway id="join" /><bpmn:inclusiveGateway id="inc" />'
        '<bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="fork" />'
        '<bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="a" /><bpmn:sequenceFlow id="f3" '
        'sourceRef="fork" targetRef="b" /><bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="join"'
        ' /><bpmn:sequenceFlow id="f5" sourceRef="b" targetRef="join" /><bpmn:sequenceFlow id="f6" '
        'sourceRef="join" targetRef="inc" /><bpmn:sequenceFlow id="f7" sourceRef="inc" '
        'targetRef="e" />')),
    "boundary timer on a task": doc(process(
        START_END + '<bpmn:task id="t" /><bpmn:boundaryEvent id="b" attachedToRef="t">'
        '<bpmn:timerEventDefinition id="bt"><bpmn:timeDuration>"PT1H"</bpmn:timeDuration>'
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent>")),
    "data objects, stores, annotations": doc(process(
        START_END + '<bpmn:dataObject id="do" /><bpmn:dataObjectReference id="dor" '
        'dataObjectRef="do" /><bpmn:dataStoreReference id="ds" /><bpmn:textAnnotation id="ta">'
        "<bpmn:text>Checked by OJK</bpmn:text></bpmn:textAnnotation>"
        '<bpmn:association id="as" sourceRef="s" targetRef="ta" />')),
    "multi-instance task": doc(process(
        START_END + '<bpmn:task id="mi"><bpmn:multiInstanceLoopCharacteristics>'
        "<bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>"
        "</bpmn:task>")),
    "unicode names": doc(process('<bpmn:startEvent id="s" name="Pengajuan kredit 🏠 مرحبا" />'
                                 '<bpmn:endEvent id="e" name="Selesai ✅" />'
                                 '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" />')),
    "old namespace": doc(process(START_END)).replace(B.encode(), b"http://www.omg.org/bpmn20"),
    "DMN uploaded as .bpmn": b'<?xml version="1.0"?><definitions xmlns="https://www.omg.org/'
                             b'spec/DMN/20191111/MODEL/" id="d" name="d" namespace="x" />',
    "empty file": b"",
    "plain text": b"this is not a diagram",
    "JSON": b'{"process": "credit"}',
    "PNG header": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "zip archive": b"PK\x03\x04" + b"\x00" * 200,
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                      b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                      b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>',
    "XXE": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<d>&x;</d>",
    "500 tasks in sequence": chain(500),
    "60 nested subprocesses": nested(60),
    "huge (3 MB)": doc(process(START_END + "<!-- pad -->" + '<bpmn:task id="pad" name="' +
                               "x" * (3 * 1024 * 1024) + '" />')),
    "truncated XML": simple()[:400],
    "gateway overlapping without default": diagram(
        '<bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="g" />' + form_task() +
        '<bpmn:endEvent id="end" />',
        [("f1", "start", "g"), ("f2", "g", "review_application"), ("f3", "g", "end"),
         ("f4", "review_application", "end")]),
}


@pytest.mark.parametrize("name", CORPUS)
def test_every_diagram_gets_a_clear_answer_quickly(client, officers, name):
    body, content_type = multipart([("upload.bpmn", CORPUS[name]),
                                    ("review_application.schema.json", FORM)])
    began = time.perf_counter()
    response = client.post("/api/definitions", data=body, headers=officers["owner"].headers,
                           content_type=content_type)
    elapsed = time.perf_counter() - began
    assert response.status_code in (200, 201, 413, 422), response.get_data(as_text=True)[:500]
    assert elapsed < 2.0
    if response.status_code >= 400:
        assert response.headers["Content-Type"] == "application/problem+json"
    if response.status_code == 422:
        assert response.json["problems"] and all(isinstance(p["message"], str)
                                                 for p in response.json["problems"])
    assert b"root:" not in response.data


def test_the_corpus_has_at_least_thirty_shapes():
    assert len(CORPUS) >= 30
