"""Tests for thematica.report."""
