"""Tests for thematica.web."""
