"""finelog: query, rank and summarise data-protection enforcement decisions."""
