"""Orchestration over many apps: work that calls several apps' services (the scheduler)."""
