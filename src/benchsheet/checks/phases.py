"""Checks of the phases family (see rules.FAMILIES)."""
