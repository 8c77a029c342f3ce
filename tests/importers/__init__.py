"""Tests for thematica.importers."""
