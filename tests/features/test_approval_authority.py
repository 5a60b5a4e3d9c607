"""Scenarios of features/approval_authority.feature."""

from pytest_bdd import scenarios

scenarios("approval_authority.feature")
