"""pages stage."""
