"""mt: Kazakh press releases into German, English and Russian."""

__version__ = "0.1.0"
