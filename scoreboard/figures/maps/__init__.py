"""Province maps: geometry for a date, and static SVG maps drawn from it."""
