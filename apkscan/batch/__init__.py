"""``apkscan batch``: audit a folder of APKs in parallel, resumably, into an SQLite store plus an index page.

discover (files, by content) → executor (isolated worker processes) → store (SQLite, parent only) →
view → outputs (index.html, summary.csv, results.jsonl). :mod:`apkscan.batch.runner` ties them together.
"""
