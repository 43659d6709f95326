"""Moved to mt.formats.tbx; this name is kept for old imports."""

from mt.formats.tbx import NS, OLD_NS, read_tbx, to_tbx, write_tbx  # noqa: F401
