"""A corpus of realistic platform exports (synthetic people, real shapes) and their expected
mappings onto the sandbox's demo datasource; see ``generate.py`` and ``SOURCES.md``."""
