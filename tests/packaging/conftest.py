"""Packaging tests: the ``frozen`` marker (registered in pyproject.toml) selects the build."""
