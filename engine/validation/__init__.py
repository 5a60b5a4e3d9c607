"""Validate process sources before anything goes live, reporting every problem found.

A problem is a dict: `file`, `element` (id or None), `line` (or None), `message`.
"""

from engine.validation.problems import Problem, problem

__all__ = ["Problem", "problem"]
