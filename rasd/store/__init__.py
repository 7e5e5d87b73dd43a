"""The store: articles, mentions, events and editors' decisions, in SQLite (the embedded default) or PostgreSQL."""

from rasd.store.core import (
    ARTICLES_FRAME_COLUMNS,
    BULK_COLUMNS,
    BUSY_TIMEOUT,
    DEFAULT_DB,
    EVENTS_FRAME_COLUMNS,
    SOURCES_FRAME_COLUMNS,
    SYNTHETIC_KEY,
    BulkRows,
    IngestReport,
    Store,
    StoreCounts,
    default_db_path,
    upgrade_store,
)
from rasd.store.engines import POSTGRESQL, SQLITE, is_url, target_of
from rasd.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration, UpgradeReport

__all__ = [
    "ARTICLES_FRAME_COLUMNS", "BULK_COLUMNS", "BUSY_TIMEOUT", "DEFAULT_DB", "EVENTS_FRAME_COLUMNS", "MIGRATIONS",
    "POSTGRESQL", "SCHEMA_VERSION", "SOURCES_FRAME_COLUMNS", "SQLITE", "SYNTHETIC_KEY", "BulkRows", "IngestReport",
    "Migration", "Store", "StoreCounts", "UpgradeReport", "default_db_path", "is_url", "target_of", "upgrade_store",
]
