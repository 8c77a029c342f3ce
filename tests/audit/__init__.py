"""The audit log's tests."""
