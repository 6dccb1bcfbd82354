"""finelog: query, rank and summarise data-protection enforcement decisions."""

__version__ = "0.1.0"
