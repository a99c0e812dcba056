"""The component package's plugin entry point (see __main__.py)."""
