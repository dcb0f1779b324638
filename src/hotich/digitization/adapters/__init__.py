"""Adapters of the outside engines digitization uses, one package per engine."""
