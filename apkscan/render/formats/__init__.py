"""One module per output format: ``<kind>_<format>.py`` defining ``RENDERER`` (see :mod:`apkscan.render.registry`)."""
