"""The exam fixture lives in tests/world.py, shared with the export tests."""
