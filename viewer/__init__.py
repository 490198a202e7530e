"""Article Viewer: an offline desktop reader for a local collection of articles."""

__version__ = "0.1.0"
APP_NAME = "Article Viewer"
