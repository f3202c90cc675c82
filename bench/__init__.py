"""Benchmarks: print numbers, never fail on timing (`make bench`)."""
