"""Adapters of the document register to programs outside Python."""
