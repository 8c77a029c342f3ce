"""Thematica: local-first, rigorous thematic analysis of qualitative interview studies."""

__version__ = "0.1.0"
