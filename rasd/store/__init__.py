"""The store: articles, mentions, events and editors' decisions, in SQLite (the embedded default)."""

from rasd.store.core import (
    ARTICLES_FRAME_COLUMNS,
    BULK_COLUMNS,
    BUSY_TIMEOUT,
    DEFAULT_DB,
    EVENTS_FRAME_COLUMNS,
    MIGRATIONS,
    SCHEMA_VERSION,
    SOURCES_FRAME_COLUMNS,
    SYNTHETIC_KEY,
    BulkRows,
    IngestReport,
    Migration,
    Store,
    StoreCounts,
    default_db_path,
)

__all__ = [
    "ARTICLES_FRAME_COLUMNS", "BULK_COLUMNS", "BUSY_TIMEOUT", "DEFAULT_DB", "EVENTS_FRAME_COLUMNS", "MIGRATIONS",
    "SCHEMA_VERSION", "SOURCES_FRAME_COLUMNS", "SYNTHETIC_KEY", "BulkRows", "IngestReport", "Migration", "Store",
    "StoreCounts", "default_db_path",
]
