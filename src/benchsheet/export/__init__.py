"""Exporters: turn checked protocols into what other tools import.

The `.eln` archive code is split into a neutral record type (`eln_records`), a deterministic,
atomic writer (`eln_write`) and a reader that refuses unsafe archives (`eln_read`), so that the
protocol-to-record mapping can change without touching the archive format, and back.
"""
