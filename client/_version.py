"""The client's version, kept in step with the distribution's (a test checks the two agree)."""

__version__ = "0.1.0"
