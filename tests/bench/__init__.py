"""Tests of the benchmarks themselves: small fixed slices of what `bench/run.py` measures."""
