"""Scenarios of features/origination.feature."""

from pytest_bdd import scenarios

scenarios("origination.feature")
