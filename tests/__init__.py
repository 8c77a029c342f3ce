"""Thematica test suite."""
