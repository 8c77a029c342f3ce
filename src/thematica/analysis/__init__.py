"""Pure analysis computations: no I/O, no SQL."""
