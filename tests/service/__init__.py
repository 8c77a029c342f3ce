"""Tests for thematica.service."""
