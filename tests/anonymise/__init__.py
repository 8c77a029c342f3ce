"""Tests for anonymisation."""
