"""Safe XML: no DTDs, no entities, no network, bounded size; and the XSDs, with every error."""

from typing import Any

from lxml import etree

from engine.validation.problems import Problem, problem
from engine.workflow import bpmn_schema_errors

MAX_FILE_BYTES = 2 * 1024 * 1024
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                         dtd_validation=False, huge_tree=False, remove_comments=True)
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DMN_NAMESPACES = ("https://www.omg.org/spec/DMN/20191111/MODEL/",
                  "http://www.omg.org/spec/DMN/20180521/MODEL/",
                  "https://www.omg.org/spec/DMN/20230324/MODEL/")


NO_DTD = ("DOCTYPE and ENTITY declarations are not allowed (they enable XML bombs and "
          "external entities).")


def parse(filename: str, content: bytes) -> tuple[Any | None, list[Problem]]:
    """Parse one file; refuse DTDs and entities (in any encoding) rather than expanding them."""
    if b"<!DOCTYPE" in content[:4096].upper() or b"<!ENTITY" in content.upper():
        return None, [problem(filename, None, NO_DTD)]
    try:
        root = etree.fromstring(content, PARSER)
    except etree.XMLSyntaxError as error:
        return None, [{"file": filename, "element": None, "line": error.lineno,
                       "message": f"Not well-formed XML: {error.msg}"}]
    except (ValueError, LookupError) as error:  # unknown or inconsistent encodings
        return None, [problem(filename, None, f"Not readable XML: {error}")]
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        return None, [problem(filename, None, NO_DTD)]
    return root, []


def kind(root: Any) -> str:
    """`bpmn`, `dmn` or `unknown`, from the root element's namespace."""
    namespace = etree.QName(root).namespace
    if namespace == BPMN_NS:
        return "bpmn"
    return "dmn" if namespace in DMN_NAMESPACES else "unknown"


def check_bpmn_schema(filename: str, root: Any) -> list[Problem]:
    """Every violation of the BPMN 2.0 and SpiffWorkflow XSDs, with its line."""
    return [{"file": filename, "element": None, "line": error.line,
             "message": f"BPMN schema: {error.message}"}
            for error in bpmn_schema_errors(etree.ElementTree(root))]
