"""Highlights, notes, bookmarks and reading progress: model, anchoring, storage and export.

No Qt here: the reading pane, the Annotations panel and the `annotations` command share it.
"""
