"""Bytes from disk to text: BOMs, UTF-8, legacy single-byte encodings, line endings.

Every loader goes through `decode_article_bytes`, so every format copes with the same odd files.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from viewer.core.errors import ArticleError

# Largest article file we read; larger files are reported, not loaded (see README "Limits").
MAX_ARTICLE_BYTES = 4 * 1024 * 1024
_BINARY_SNIFF = 8192
# Control characters other than tab, newline and form feed (a regex: a per-character Python loop
# cost a millisecond per article).
_CONTROL = re.compile("[\x00-\x08\x0b\x0d-\x1f]")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    note: str = ""  # a remark for the user, e.g. that a legacy encoding was assumed


def decode_article_bytes(data: bytes) -> DecodedText:
    """Decode an article file; raise ArticleError with a one-line reason when it is not text."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(
            f"file is larger than the {MAX_ARTICLE_BYTES // 1048576} MB limit for an article"
        )
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ArticleError(
                    f"file starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}"
                ) from None
            return _checked(DecodedText(normalize_newlines(text), encoding))
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise ArticleError("binary file (contains NUL bytes), not an article")
    try:
        return _checked(DecodedText(normalize_newlines(data.decode("utf-8")), "utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        text = data.decode("latin-1")
        encoding = "latin-1"
    return _checked(
        DecodedText(normalize_newlines(text), encoding, f"not valid UTF-8; decoded as {encoding}")
    )


def _checked(decoded: DecodedText) -> DecodedText:
    if not decoded.text.strip():
        raise ArticleError("file is empty")
    control = len(_CONTROL.findall(decoded.text, 0, _BINARY_SNIFF))
    if control > max(8, len(decoded.text[:_BINARY_SNIFF]) // 20):
        raise ArticleError("file looks binary (too many control characters), not an article")
    return decoded


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; trailing white space at line ends goes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n"))
