"""Exception hierarchy for Rasd."""


class RasdError(Exception):
    """Base class for every error Rasd raises on purpose."""


class ArticleError(RasdError):
    """An article file cannot be read or is not usable text."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class CatalogueError(RasdError):
    """A row of an articles.csv catalogue is malformed."""


class GazetteerError(RasdError):
    """The gazetteer data is malformed or a place id is unknown."""


class UnknownPlaceError(GazetteerError):
    """A name does not resolve to any gazetteer place."""


class StoreError(RasdError):
    """The SQLite store is unreadable, of another schema version, or corrupt."""


class FilterError(RasdError):
    """A filter value (usually from a URL) is invalid."""


class FetchError(RasdError):
    """A page or feed could not be fetched, or what came back is not usable."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class BlockedAddressError(FetchError):
    """A URL Rasd refuses to fetch: not http(s), or its host is on a loopback, private or other non-public address."""


class TooLargeError(FetchError):
    """A response body is over the size cap."""


class FetchTimeoutError(FetchError):
    """A server did not answer, or did not finish answering, in time."""


class RedirectError(FetchError):
    """Too many redirects, a redirect loop, or a redirect without a usable Location."""


class HTTPStatusError(FetchError):
    """A server answered with an error status."""

    def __init__(self, url: str, status: int, reason: str = "") -> None:
        super().__init__(url, f"HTTP {status}{' ' + reason if reason else ''}")
        self.status = status


class PageError(FetchError):
    """A page holds no usable article: empty, not HTML, no extractable text, or not Arabic."""


class FeedError(FetchError):
    """A feed is not RSS or Atom that feedparser can read."""


class UserError(RasdError):
    """An editor account cannot be added, removed or found, or the users file is unusable."""


class AuthError(RasdError):
    """A sign-in failed or a write came without a valid editor; the message never says whether a name exists."""


class RateLimitedError(AuthError):
    """Too many failed sign-ins for a name, or overall: sign-ins are refused until `retry_after` seconds pass."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ReviewError(RasdError):
    """A review decision is invalid: an unknown event, a bad field value, a merge of an event with itself."""


class ConflictError(ReviewError):
    """An edit was based on an older version of the event than the stored one; the first change is kept."""


class SchemaVersionError(StoreError):
    """The store's schema version is not the one this Rasd reads (`found` and `wanted` say which)."""

    def __init__(self, message: str, *, found: int, wanted: int) -> None:
        super().__init__(message)
        self.found = found
        self.wanted = wanted


class SchemaOutdatedError(SchemaVersionError):
    """The store was written by an older Rasd: `rasd db upgrade --db ...` brings it up to date (the message says so)."""


class SchemaTooNewError(SchemaVersionError):
    """The store was written by a newer Rasd than this one: update Rasd, never downgrade the store."""
