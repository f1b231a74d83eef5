"""Models arrive with a later issue."""
