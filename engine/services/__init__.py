"""Use cases: each one opens a unit of work, does one thing and commits it with its events."""
