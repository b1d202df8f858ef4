"""The client's exceptions.

::

    IngestError                      anything the client raises
    ├── AuthError                    401 / 403: token missing, wrong, revoked or lacking scope
    ├── NotFoundError                404: unknown project/datasource/contact, or token not for it
    ├── BadRequestError              400: malformed body, not an array, more than 100 items
    ├── RateLimitedError             429: carries ``reset_at`` (epoch s) and/or ``retry_after`` (s)
    ├── ServerError                  5xx
    ├── TransportError               timeouts, refused or dropped connections
    ├── ResponseFormatError          an answer that is not what the API documents
    └── InsecureURLError             non-loopback ``http://`` base URL

A 422 is *not* an exception: it is a :class:`~ingest_gui.api.results.WriteResult` whose items all
failed. No exception text ever contains the token.
"""

from __future__ import annotations

from ingest_gui.api.results import RateLimit


class IngestError(Exception):
    """Base of every error the client raises; ``str()`` is a sentence a person can read."""

    def __init__(
        self, message: str, *, status: int | None = None, rate_limit: RateLimit | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.rate_limit = rate_limit

    #: Whether sending the same request again later may succeed.
    retryable: bool = False


class AuthError(IngestError):
    """401 or 403."""


class NotFoundError(IngestError):
    """404."""


class BadRequestError(IngestError):
    """400: the request itself is wrong; never retried."""


class RateLimitedError(IngestError):
    """429. Wait until ``reset_at`` (Unix seconds) or ``retry_after`` seconds, then resend."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        reset_at: float | None = None,
        retry_after: float | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        super().__init__(message, status=429, rate_limit=rate_limit)
        self.reset_at = reset_at
        self.retry_after = retry_after


class ServerError(IngestError):
    """5xx."""

    retryable = True


class TransportError(IngestError):
    """No usable answer: timeout, refused, reset or dropped connection."""

    retryable = True


class ResponseFormatError(IngestError):
    """The service answered something the API does not document (not JSON, wrong shape).

    Retryable for safety: nothing in such an answer is taken as accepted.
    """

    retryable = True


class InsecureURLError(IngestError):
    """A base URL that would send the token in clear text to another machine."""
