"""Scenarios of features/credit_policy.feature."""

from pytest_bdd import scenarios

scenarios("credit_policy.feature")
