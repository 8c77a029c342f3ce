"""The manuscript audit's tests: drafts checked against the study (issue 17)."""
