"""Scenarios of features/form_validation.feature."""

from pytest_bdd import scenarios

scenarios("form_validation.feature")
