"""The service address: its default and the check every client makes of it.

Kept apart from :mod:`ingest_gui.api.client` (and free of httpx) so the wizard's first page can
show and check an address without loading the HTTP stack before its window opens.
"""

from __future__ import annotations

import ipaddress
import urllib.parse

from ingest_gui.api.errors import IngestError, InsecureURLError
from ingest_gui.api.parsing import clip
from ingest_gui.texts import fill, translate

DEFAULT_BASE_URL = "https://api.instasent.com/v1"
#: The path of the API's version under a server's root (the sandbox serves it there too).
API_PATH = "/v1"


def is_loopback_host(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ``::1``: the only hosts plain ``http://`` may reach."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_base_url(base_url: str) -> str:
    """``base_url`` without a trailing slash, checked: https, or http to this machine only.

    Raises :class:`InsecureURLError` for a scheme that would expose the token and
    :class:`IngestError` for something that is not a usable web address.
    """
    text = base_url.strip().rstrip("/")
    try:
        parts = urllib.parse.urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        parts = None
    if parts is None:
        raise IngestError(fill(translate(
            "ApiClient", "The base URL '{url}' is not a valid web address."), url=clip(text, 200)))
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not host:
        raise InsecureURLError(fill(translate("ApiClient",
            "The base URL '{url}' must start with https:// and name a server, like "
            "https://api.instasent.com/v1."), url=clip(text, 200)))
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise IngestError(translate("ApiClient",
            "The base URL must be a plain address like https://api.instasent.com/v1, without a "
            "user name, password, '?' or '#' part."))
    if scheme == "http" and not is_loopback_host(host):
        raise InsecureURLError(fill(translate("ApiClient",
            "The base URL '{url}' uses http://, which would send the API token unencrypted "
            "over the network. Use https:// (plain http:// is only allowed for this computer, "
            "e.g. the local sandbox)."), url=clip(text, 200)))
    return urllib.parse.urlunsplit((scheme, parts.netloc, parts.path, "", "")).rstrip("/")


def with_api_path(address: str) -> str:
    """A server's root (``http://127.0.0.1:8765``) as its API base URL (``.../v1``); an address
    that already has a path is returned as it is (stripped of spaces and a trailing slash)."""
    text = address.strip().rstrip("/")
    try:
        path = urllib.parse.urlsplit(text).path
    except ValueError:
        return text  # normalize_base_url says what is wrong with it
    return text + API_PATH if path == "" else text
