"""The URL gate's world and its table of rows (tests/test_url_gate.py runs them)."""
