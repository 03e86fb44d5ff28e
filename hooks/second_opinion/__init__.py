"""Second Opinion Guide content pipeline: data/*.yml -> validated model -> pages.

The package imports nothing from MkDocs, so it can be tested alone and can write the generated
pages to disk for any builder (`python -m second_opinion write OUTDIR`). The hook files beside it
only wire MkDocs events to it.
"""
