"""briefwatch."""
