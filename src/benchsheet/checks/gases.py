"""Checks of the gases family (see rules.FAMILIES)."""
