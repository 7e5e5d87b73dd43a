"""One colour and one symbol per weapon, shared by the map and the timeline."""

from __future__ import annotations

from rasd.vocab import WEAPONS

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
WEAPON_COLORS: dict[str, str] = {
    "drone": "#D55E00",
    "rocket": "#0072B2",
    "mortar": "#009E73",
    "ied": "#CC79A7",
    "gunfire": "#E69F00",
    "unknown": "#6E6E6E",
}

# SVG drawing instructions on a 24x24 canvas; the shape tells weapons apart without colour.
WEAPON_SHAPES: dict[str, str] = {
    "drone": '<path d="M12 3 21.5 20H2.5Z"/>',
    "rocket": '<path d="M12 1.5 22.5 12 12 22.5 1.5 12Z"/>',
    "mortar": '<circle cx="12" cy="12" r="9.5"/>',
    "ied": '<path d="M8.5 2.5h7v6h6v7h-6v6h-7v-6h-6v-7h6Z"/>',
    "gunfire": '<path d="M3.5 3.5h17v17h-17Z"/>',
    "unknown": '<path d="M12 2 21 7v10l-9 5-9-5V7Z"/>',
}
assert set(WEAPON_COLORS) == set(WEAPON_SHAPES) == set(WEAPONS), "every weapon needs a colour and a shape"
