"""Errors that carry a one-line message meant for the user."""


class ViewerError(Exception):
    """A problem the user can act on; its message is one readable sentence."""


class ArticleError(ViewerError):
    """An article file that cannot be read or understood."""


class UnknownArticle(ViewerError, KeyError):
    """An article id that is not in the library."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "unknown article"
