"""Small diagrams for validation tests: one process in one lane, with DI, built from snippets."""

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
        'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
        'id="definitions_small" targetNamespace="https://alur.example/bpmn">\n')


def form_task(task_id: str = "review_application", form: str | None = None) -> str:
    return (f'<bpmn:userTask id="{task_id}" name="Review"><bpmn:extensionElements>'
            '<spiffworkflow:properties><spiffworkflow:property name="formJsonSchemaFilename" '
            f'value="{form or task_id + ".schema.json"}" /></spiffworkflow:properties>'
            "</bpmn:extensionElements></bpmn:userTask>")


def diagram(body: str, flows: list[tuple[str, str, str]], lane: str = "account_officer",
            process: str = "small_process", executable: str = "true") -> bytes:
    """A process with `body` nodes, flows (id, source, target) and every node in one lane."""
    import re

    ids = re.findall(r'<bpmn:(?!sequenceFlow)\w+ id="([^"]+)"', body)
    refs = "".join(f"<bpmn:flowNodeRef>{i}</bpmn:flowNodeRef>" for i in ids)
    seq = "".join(f'<bpmn:sequenceFlow id="{f}" sourceRef="{s}" targetRef="{t}" />'
                  for f, s, t in flows)
    shapes = "".join(f'<bpmndi:BPMNShape id="{i}_di" bpmnElement="{i}">'
                     f'<dc:Bounds x="{100 + n * 150}" y="100" width="100" height="80" />'
                     "</bpmndi:BPMNShape>" for n, i in enumerate(ids))
    edges = "".join(f'<bpmndi:BPMNEdge id="{f}_di" bpmnElement="{f}"><di:waypoint x="0" y="0" />'
                    '<di:waypoint x="10" y="10" /></bpmndi:BPMNEdge>' for f, _, _ in flows)
    return (HEAD + f'<bpmn:process id="{process}" isExecutable="{executable}">'
            f'<bpmn:laneSet id="lanes"><bpmn:lane id="lane_main" name="{lane}">{refs}</bpmn:lane>'
            f"</bpmn:laneSet>{body}{seq}</bpmn:process>"
            f'<bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="p" bpmnElement="{process}">'
            f"{shapes}{edges}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
            ).encode()


def simple(middle: str = "", flows: list[tuple[str, str, str]] | None = None, **kwargs) -> bytes:
    """start → review_application → end, with extra nodes and flows."""
    body = ('<bpmn:startEvent id="start" />' + form_task() + middle +
            '<bpmn:endEvent id="end" />')
    base = [("flow_start", "start", "review_application"),
            ("flow_end", "review_application", "end")]
    return diagram(body, flows if flows is not None else base, **kwargs)


FORM = (b'{"type": "object", "properties": {"ok": {"type": "boolean"}}, '
        b'"additionalProperties": false}')


def multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """A raw multipart body. The test client would spool a large generated one to a temporary
    file that it never closes (a ResourceWarning), so big uploads are encoded here."""
    boundary = "alur-test-boundary"
    body = b""
    for name, content in files:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
                 f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
        body += content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
