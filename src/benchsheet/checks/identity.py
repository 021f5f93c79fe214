"""Checks of the identity family (see rules.FAMILIES)."""
