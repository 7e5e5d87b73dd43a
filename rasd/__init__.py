"""Rasd: attacks on US and coalition forces in Iraq, from Arabic news reports."""

__version__ = "0.1.0"
