"""Helpers shared by the test modules, imported one way: `from tests.helpers.<module> import ...`."""
