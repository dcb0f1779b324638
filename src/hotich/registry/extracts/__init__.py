"""Extracts (trích lục) and certificates issued from register records, as PDFs.

``document`` says what a paper holds, ``layouts`` maps record data to its sections, ``render``
makes the PDF, ``build`` adapts a registry record, and ``services.extract_issue`` is the one
function that numbers, renders, stores, records and audits an issued paper.
"""
