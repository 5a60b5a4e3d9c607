"""User-task forms: JSON Schemas that every submission is checked against.

Two Alur keywords extend JSON Schema: `x-error` replaces the validator's message for a field, and
`x-maximum-from: NAME` sets a property's `maximum` from task data when the task opens (an approver
may approve a lower amount than recommended, never a higher one).
"""

import copy
import functools
import json
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError, ValidationError

from engine.errors import FormInvalid

FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


def _is_integer(_checker: Any, instance: Any) -> bool:
    """Rupiah amounts are whole numbers: 5.0 is refused, unlike JSON Schema's default."""
    return isinstance(instance, int) and not isinstance(instance, bool)


FormValidator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer))


# Draft202012Validator.check_schema builds this validator of the metaschema on every call, most
# of the cost of checking a form: built once, it checks every form of a deployment.
_META = validators.validator_for(Draft202012Validator.META_SCHEMA, default=Draft202012Validator)(
    Draft202012Validator.META_SCHEMA, format_checker=FORMAT_CHECKER)


def check_schema(schema: Mapping[str, Any]) -> None:
    """Raise jsonschema's SchemaError if `schema` is not a valid Draft 2020-12 schema."""
    _check_text(json.dumps(schema, sort_keys=True))


@functools.lru_cache(maxsize=1024)
def _check_text(text: str) -> None:
    """Checked once per distinct form (a redeployment brings the same forms again); only a
    valid form is remembered, as an exception is never cached."""
    for error in _META.iter_errors(json.loads(text)):
        raise SchemaError.create_from(error)


def resolve(schema: Mapping[str, Any], data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The form as the task shows it: `x-maximum-from` turned into `maximum` from task data
    (in a copy; a form without it is the form itself, to be read, not changed)."""
    if not schema or not _takes_maximum_from_data(schema):
        return schema
    resolved = copy.deepcopy(dict(schema))
    for prop in _walk_properties(resolved):
        source = prop.get("x-maximum-from")
        if isinstance(data.get(source), int):
            prop["maximum"] = min(prop.get("maximum", data[source]), data[source])
    return resolved


_TAKES: dict[int, tuple[Mapping[str, Any], bool]] = {}  # id -> (the form, kept alive; answer)


def _takes_maximum_from_data(schema: Mapping[str, Any]) -> bool:
    """Whether a form has `x-maximum-from`, worked out once per form object (a version's forms
    live as long as the process; a task opens with its form many times)."""
    known = _TAKES.get(id(schema))
    if known is None or known[0] is not schema:
        if len(_TAKES) >= 4096:
            _TAKES.clear()
        known = _TAKES[id(schema)] = (schema, any(
            "x-maximum-from" in prop for prop in _walk_properties(schema)))
    return known[1]


def validate(schema: Mapping[str, Any], submission: Any) -> dict[str, Any]:
    """Check a submission; return it with every top-level field the form declares present.

    Raises:
        FormInvalid: with the messages per field path (`applicant.nik`).
    """
    validator = FormValidator(schema, format_checker=FORMAT_CHECKER)
    errors: dict[str, list[str]] = {}
    for error in validator.iter_errors(submission):
        for field, message in _field_messages(error):
            messages = errors.setdefault(field, [])
            if message not in messages:  # one `required` error per missing field, each naming all
                messages.append(message)
    if errors:
        raise FormInvalid(errors)
    declared = schema.get("properties", {})
    defaults = {name: prop.get("default") for name, prop in declared.items()}
    return {**defaults, **submission}


def fields(schema: Mapping[str, Any]) -> list[str]:
    """The top-level field names a form declares."""
    return list(schema.get("properties", {}))


def _field_messages(error: ValidationError) -> list[tuple[str, str]]:
    path = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        return [(_join(path, name), _custom(error, name) or "This field is required.")
                for name in error.validator_value if name not in present]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        return [(_join(path, name), "Unknown field.")
                for name in error.instance if name not in known]
    if error.validator == "type" and error.validator_value == "integer":
        return [(path or "(form)", "Must be a whole number (integer Rupiah for amounts).")]
    return [(path or "(form)", error.schema.get("x-error") or error.message)]


def _custom(error: ValidationError, name: str) -> str | None:
    prop = error.schema.get("properties", {}).get(name, {})
    return prop.get("x-error") if isinstance(prop, dict) else None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _walk_properties(schema: Any):
    """Every property schema nested anywhere in `schema` (properties, allOf, if/then)."""
    if isinstance(schema, dict):
        for name, value in schema.items():
            if name == "properties" and isinstance(value, dict):
                yield from value.values()
            yield from _walk_properties(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _walk_properties(item)
