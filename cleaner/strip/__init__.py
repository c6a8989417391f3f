"""Strippers: each looks at a document and returns removals.

Every stripper has the same shape, ``strip(doc, keep, ...) -> list[Removal]``,
where ``keep[i]`` says whether line ``i + 1`` is still kept by the strippers
that ran before it. The order they run in lives in :mod:`cleaner.clean`.
"""
