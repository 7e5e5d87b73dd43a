"""Closed vocabularies shared by the extractor, the store, the filters and the URL."""

WEAPONS = ("drone", "rocket", "mortar", "ied", "gunfire", "unknown")
TARGETS = ("base", "airport", "embassy", "convoy", "other")
# One outcome code per event; when several apply the first in this order wins.
OUTCOMES = ("casualties", "hit", "intercepted", "fell_nearby", "no_casualties", "unknown")
DATE_PRECISIONS = ("day", "approximate", "month", "year", "unknown")
GEO_PRECISIONS = ("site", "town", "road", "district", "governorate")
PLACE_KINDS = (
    "airbase", "camp", "airport", "embassy", "zone", "city",
    "district", "subdistrict", "governorate", "region",
)
SITE_KINDS = frozenset({"airbase", "camp", "airport", "embassy", "zone"})
# What the newsroom decided about an event; rejected events never reach public reads.
REVIEW_STATUSES = ("unreviewed", "verified", "edited", "rejected")
# The statuses a public link may filter on (`review` URL parameter).
PUBLIC_REVIEW_STATUSES = ("unreviewed", "verified", "edited")
