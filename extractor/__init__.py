"""Structured case records from case reports of therapy-related leukemias."""

__version__ = "0.1.0"
