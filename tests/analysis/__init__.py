"""Tests of the pure analysis computations (agreement, saturation, quantifiers)."""
