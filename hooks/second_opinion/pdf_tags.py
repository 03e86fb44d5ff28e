"""Repairs to the structure tree of WeasyPrint 70's tagged PDFs, made before the PDF is written.

WeasyPrint tags the text of page margin boxes (the sheets' running footer: title and "Page X of Y")
as marked content that no structure element reaches: neither content nor artifact, which screen
readers and PDF/UA checkers reject. It also gives a structure element to every box without text
(the tick boxes and the lines to write on), empty elements that a reader announces as nothing.
`finish` turns the footer's marked content into pagination artifacts and removes the empty elements.

It is WeasyPrint's `finisher`: it receives pydyf's objects, where a reference is b"N 0 R" and a
page's marked content is the three stream items "/Tag", <<MCID n>> and b"BDC".
"""

from __future__ import annotations

import pydyf


def finish(document: object, pdf: pydyf.PDF) -> None:
    """Make the orphaned marked content artifacts and drop empty structure elements."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    reachable: set[int] = set()
    for kid in root["K"]:
        _prune(pdf, _object(pdf, kid), reachable)

    parent_tree = _object(pdf, root["ParentTree"])["Nums"]
    pages = [_object(pdf, page) for page in pdf.page_references]
    for key, value in zip(parent_tree[::2], parent_tree[1::2], strict=True):
        if not isinstance(value, pydyf.Array):
            continue  # an annotation's entry, not a page's
        orphans = {mcid for mcid, element in enumerate(value) if _number(element) not in reachable}
        for mcid in orphans:
            value[mcid] = b"null"
        if orphans:
            _mark_artifacts(_object(pdf, pages[key]["Contents"]), orphans)


def _object(pdf: pydyf.PDF, reference: bytes) -> pydyf.Object:
    return pdf.objects[_number(reference)]


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _prune(pdf: pydyf.PDF, element: pydyf.Dictionary, reachable: set[int]) -> bool:
    """Drop `element`'s descendants that hold no content; whether it holds any itself."""
    reachable.add(element.number)
    kept = []
    for kid in element["K"]:
        if isinstance(kid, int):  # marked content on the element's page
            kept.append(kid)
            continue
        child = _object(pdf, kid)
        if child.get("Type") == "/OBJR" or _prune(pdf, child, reachable):
            kept.append(kid)
    element["K"] = pydyf.Array(kept)
    return bool(kept)


def _mark_artifacts(stream: pydyf.Stream, mcids: set[int]) -> None:
    items = stream.stream
    for index, item in enumerate(items):
        if isinstance(item, pydyf.Dictionary) and item.get("MCID") in mcids and items[index + 1] == b"BDC":
            items[index - 1] = "/Artifact"
            items[index] = pydyf.Dictionary({"Type": "/Pagination"})
