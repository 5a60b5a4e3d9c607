"""Form validation reports every field's error, refuses unknown fields and floats for integers."""

import json

import pytest

from engine import forms
from engine.errors import FormInvalid

FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["decision"],
    "properties": {
        "decision": {"type": "string", "enum": ["approve", "reject"]},
        "approved_amount": {"type": "integer", "minimum": 1, "x-maximum-from": "recommended"},
        "nik": {"type": "string", "pattern": "^[0-9]{16}$", "x-error": "NIK is 16 digits"},
    },
}


def errors_of(submission, form=FORM):
    with pytest.raises(FormInvalid) as raised:
        forms.validate(form, submission)
    return raised.value.errors


def test_every_bad_field_gets_its_own_message():
    errors = errors_of({"approved_amount": 1.5, "nik": "123", "colour": "red"})
    assert set(errors) == {"decision", "approved_amount", "nik", "colour"}
    assert errors["nik"] == ["NIK is 16 digits"]
    assert errors["colour"] == ["Unknown field."]


def test_a_whole_float_is_not_an_integer_amount():
    assert "approved_amount" in errors_of({"decision": "approve", "approved_amount": 5.0})


def test_a_valid_submission_gets_every_declared_field():
    assert forms.validate(FORM, {"decision": "reject"}) == {
        "decision": "reject", "approved_amount": None, "nik": None}


def test_the_maximum_comes_from_task_data_when_the_task_opens():
    resolved = forms.resolve(FORM, {"recommended": 80_000_000})
    assert resolved["properties"]["approved_amount"]["maximum"] == 80_000_000
    assert "approved_amount" in errors_of({"decision": "approve", "approved_amount": 80_000_001},
                                          resolved)


def test_each_task_gets_its_own_maximum_and_the_form_stays_as_deployed():
    first = forms.resolve(FORM, {"recommended": 80_000_000})
    second = forms.resolve(FORM, {"recommended": 50_000_000})
    assert first["properties"]["approved_amount"]["maximum"] == 80_000_000
    assert second["properties"]["approved_amount"]["maximum"] == 50_000_000
    assert "maximum" not in FORM["properties"]["approved_amount"]
    plain = {"type": "object", "properties": {"note": {"type": "string"}}}
    assert forms.resolve(plain, {"recommended": 1}) == plain


def test_two_missing_fields_get_one_message_each():
    form = {"type": "object", "required": ["a", "b"],
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    assert errors_of({}, form) == {"a": ["This field is required."],
                                   "b": ["This field is required."]}


def test_each_form_read_again_is_checked_against_its_own_maximum():
    # tasks' forms are read from their rows on each submission, each with its own maximum
    submission = {"decision": "approve", "approved_amount": 70_000_000}
    for _ in range(2):
        higher = json.loads(json.dumps(forms.resolve(FORM, {"recommended": 80_000_000})))
        lower = json.loads(json.dumps(forms.resolve(FORM, {"recommended": 50_000_000})))
        assert forms.validate(higher, submission)["approved_amount"] == 70_000_000
        assert "approved_amount" in errors_of(submission, lower)
