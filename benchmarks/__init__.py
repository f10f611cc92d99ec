"""Reconnect's benchmarks (run with `make bench`; not part of the test gate)."""
