"""Renderers: turn a Report (or a batch) into files people read."""

FORMATS = ("html", "json")
