"""``python -m benchsheet``: the same as the ``benchsheet`` command."""

from benchsheet.cli import main

raise SystemExit(main())
