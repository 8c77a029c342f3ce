"""Recordings: attach, re-link, the media folder, serving (issue 16)."""
