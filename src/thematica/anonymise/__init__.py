"""Anonymisation: detection, review, application and the separate key file."""
