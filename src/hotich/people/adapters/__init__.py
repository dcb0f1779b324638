"""Adapters of the outside systems people talks to, one package per system."""
