"""Moved to mt.formats.csv; this name is kept for old imports."""

from mt.formats.csv import read_csv, to_csv, write_csv  # noqa: F401
