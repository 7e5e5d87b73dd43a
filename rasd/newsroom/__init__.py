"""The newsroom: pages and feeds fetched from the web and ingested, and the editors who review events."""
