"""The command-line adapter: thin click commands over thematica.service."""
