"""A second consumer of the components (see __main__.py)."""
