# Convenience wrappers: the scripts are the source of truth (and need no make).
.PHONY: demo test bench setup
demo:   ; scripts/demo
test:   ; scripts/test
setup:  ; scripts/setup --system
bench:  ; .venv/bin/python bench/run.py import
