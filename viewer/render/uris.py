"""Link targets that may be written into a PDF: well-formed, percent-encoded http(s) and mailto.

Qt writes a link's target into the PDF as a literal string, `/URI (...)`, without escaping
it, so a `)` or `\\` in an href ends the string early and whatever follows becomes PDF syntax
(a JavaScript or Launch action, or a broken file). The sanitizer's scheme check is not enough:
an https URL may hold any character. Here a target is reduced to printable ASCII from RFC 3986
with the string delimiters `(`, `)` and `\\` percent-encoded, or refused. Pure Python, no Qt.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

PDF_LINK_SCHEMES = ("http", "https", "mailto")
MAX_URI_LENGTH = 2048  # longer targets are not links a reader follows; refused
# RFC 3986 unreserved and reserved characters, minus the PDF string delimiters ( ) and the
# quote ' (harmless in PDF, but refused by some readers' link parsers); `%` only as an escape.
_SAFE = "-._~:/?#[]@!$&*+,;="
_WELL_FORMED = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]+")
_HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
)
_BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _encode(text: str) -> str:
    """Percent-encode everything outside the safe set, keeping escapes that are already valid."""
    return quote(_BROKEN_ESCAPE.sub("%25", text), safe=_SAFE + "%")


def _ascii_host(host: str) -> str:
    """An international host name in its ASCII (IDNA) form; "" when it has none."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


def pdf_link_target(href: str) -> str | None:
    """The href as a safe PDF /URI string, or None when it must not become a link.

    Only http(s) with a host name (IDNA-encoded; no IP v6 literal, no user info, a numeric port) and mailto with an
    address are kept; every other scheme, relative links and in-app links are refused."""
    if not isinstance(href, str):
        return None
    href = href.strip()
    if not href or len(href) > MAX_URI_LENGTH or any(ord(c) < 0x20 or ord(c) == 0x7F for c in href):
        return None
    try:
        parts = urlsplit(href)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in PDF_LINK_SCHEMES:
        return None
    if scheme == "mailto":
        if parts.netloc or "@" not in parts.path:
            return None
        target = (
            "mailto:" + _encode(parts.path) + ("?" + _encode(parts.query) if parts.query else "")
        )
    else:
        host = _ascii_host(parts.hostname or "")
        if "@" in parts.netloc or not _HOST.fullmatch(host):
            return None
        netloc = host.lower() + (f":{port}" if port is not None else "")
        target = f"{scheme}://{netloc}" + _encode(parts.path or "/")
        if parts.query:
            target += "?" + _encode(parts.query)
        if parts.fragment:
            target += "#" + _encode(parts.fragment)
    if len(target) > MAX_URI_LENGTH or not _WELL_FORMED.fullmatch(target):
        return None
    return target
