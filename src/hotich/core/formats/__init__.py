"""Date formats of the interface: dd/mm/yyyy in both languages (``FORMAT_MODULE_PATH``)."""
