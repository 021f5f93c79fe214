"""Chemistry: formulas, amount conversions, gases, phases, yields."""
