"""Load the knowledge apkscan ships as data (``apkscan/data/*.toml``) into validated, immutable objects.

Every data file is checked against a declarative schema (:mod:`.schema`) when it is loaded, so a typo in a rule, an
SDK entry or a lexicon table stops the run with one line naming the file and the key instead of silently matching
nothing. This layer sits just above :mod:`apkscan.model` and below everything that uses the knowledge.
"""
