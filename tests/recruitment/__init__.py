"""The recruitment log, the stopping view and the flow figure (issue 18)."""
