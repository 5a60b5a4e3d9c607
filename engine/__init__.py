"""Alur's engine: credit processes on SpiffWorkflow, persisted, knowing nothing of HTTP."""
