"""Checks of the claims family (see rules.FAMILIES)."""
