"""Build src/benchsheet/unit_table.json, the unit conversion data, from pint.

    python tools/build_unit_table.py           # rewrite unit_table.json
    python tools/build_unit_table.py --check   # exit 1 if the committed file is out of date

pint stays the source of truth: for every pint expression the package can produce (each
Dimension's spellings and units.CONVERSION_TARGETS) the table holds the affine map to SI base
units that pint gives, so ``benchsheet validate`` converts without importing pint. Rerun after
a pint upgrade, a new spelling, or a new conversion target in units.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchsheet.units import REGENERATE_UNIT_TABLE, UNIT_TABLE, unit_table_text

TABLE = Path(__file__).resolve().parent.parent / "src" / "benchsheet" / UNIT_TABLE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, do not write")
    args = parser.parse_args()
    text = unit_table_text()
    current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
    if args.check:
        if current != text:
            print(f"{TABLE} is out of date; run: {REGENERATE_UNIT_TABLE}", file=sys.stderr)
            return 1
        print(f"{TABLE} is current")
        return 0
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE} ({text.count(chr(10) + '    ')} units)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
