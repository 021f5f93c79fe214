"""Checks of the hazards family (see rules.FAMILIES)."""
