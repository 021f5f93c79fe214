"""benchsheet: chemistry lab protocols as checked, machine-readable files."""
