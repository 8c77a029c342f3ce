"""Tests for thematica.exchange: REFI-QDA projects and codebooks."""
