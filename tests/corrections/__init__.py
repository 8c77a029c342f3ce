"""Corrections of transcripts while listening (issue 16, item 3)."""
