"""Text to events: normalisation, dates, lexicon, segments, extraction and merging."""

# Kept lazy: geo.gazetteer imports rasd.extract.normalize, and extraction imports geo.gazetteer.
__all__ = ["extract_article", "extract_events", "merge_events"]


def __getattr__(name: str):
    if name in ("extract_article", "extract_events"):
        from rasd.extract import extraction
        return getattr(extraction, name)
    if name == "merge_events":
        from rasd.extract.merging import merge_events
        return merge_events
    raise AttributeError(name)
