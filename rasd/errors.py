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
