"""Renderers: turn a Report, a complaint, a diff or a batch into files people read.

Words are chosen here and nowhere earlier (:mod:`.i18n`); formats are modules found through :mod:`.registry`.
"""

from apkscan.render.registry import formats

#: Formats ``apkscan scan`` and ``apkscan batch`` can write for each app.
FORMATS = formats("report")
