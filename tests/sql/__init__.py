"""Golden cases for the metric views."""
