"""URL-safe ids from names."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII id: 'Al-Araby Al-Jadeed' -> 'al-araby-al-jadeed'; Arabic-only text keeps its letters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_WORD.sub("-", ascii_text).strip("-")
    if slug:
        return slug
    return re.sub(r"\s+", "-", text.strip())
