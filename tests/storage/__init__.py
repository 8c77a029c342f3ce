"""Tests for thematica.storage."""
