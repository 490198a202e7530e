"""Article Viewer: an offline desktop reader for a local collection of articles."""

__version__ = "0.1.0"
# The application's names, once: every window title, dialog, export, settings path and the
# command line take them from here.
APP_NAME = "Article Viewer"  # what people read: window titles, About, the PDF creator field
APP_ID = "article-viewer"  # the program, its desktop file, its settings and cache folders
APP_ORGANIZATION = "ArticleViewer"  # the settings folder Qt and the annotations store share
