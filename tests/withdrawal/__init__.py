"""A participant's withdrawal: the plan, the removal and the scrub (issue 18)."""
