"""maintain stage."""
