"""Exports of one article: HTML, Markdown and plain text (no Qt), and PDF/printing (QtGui).

`export_article(article, fmt, path)` in `viewer.export.dispatch` writes any of them atomically.
The PDF module is imported only when a PDF is asked for, so text exports never load Qt.
"""
