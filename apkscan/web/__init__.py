"""``apkscan serve``: a small web application over the library API, the batch executor and the batch store.

For people who will never open a terminal: a borrower (on a phone too), a relative, a hotline volunteer drop an APK
into a page and get the verdict, the report and the complaint pack. Laid out as Datasette is: :mod:`.app` builds the
application, :mod:`.views` holds one module per kind of page, templates are Jinja (the report renderers' shared
environment). Nothing here is imported by the rest of apkscan; the web stack (Starlette, uvicorn, python-multipart)
comes with the ``web`` extra and is imported only by :mod:`.app` and what it loads, so this package's worker-side
module (:mod:`.tasks`) stays importable without it.
"""
