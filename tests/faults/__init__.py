"""The standing fault suite: kill -9 at statement boundaries, races, fuzzing, sweeps."""
