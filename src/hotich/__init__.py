"""Hộ tịch số: digital civil status and citizen services for a Vietnamese province."""

__version__ = "0.1.0"
