"""Models of the councils app."""
