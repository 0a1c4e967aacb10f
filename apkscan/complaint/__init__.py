"""Library pieces behind ``apkscan complaint``: loan cost, caps, evidence inventory and the evidence pack.

Why a separate package: a complaint mixes arithmetic (what the loan really cost), law as data (which caps apply),
and careful file handling (the borrower's evidence folder, a zip that must verify). Each piece returns plain frozen
dataclasses built from ids and numbers; the wording, in Chinese or English, is chosen when the complaint is rendered.
Every input problem is raised as a :class:`~apkscan.complaint.errors.ComplaintInputError` whose message is one line.
"""
