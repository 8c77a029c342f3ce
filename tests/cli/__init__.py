"""Tests for thematica.cli."""
