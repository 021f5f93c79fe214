"""Checks of the equipment family (see rules.FAMILIES)."""
