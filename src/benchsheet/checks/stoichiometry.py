"""Checks of the stoichiometry family (see rules.FAMILIES)."""
