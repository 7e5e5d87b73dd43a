"""Leaflet, its plugins and jQuery served by the app itself, so maps draw without internet."""

from __future__ import annotations

import importlib.resources
import os
import tempfile
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

import folium
import folium.plugins

from rasd.errors import RasdError

# Streamlit serves `static/` next to app.py at /app/static (server.enableStaticServing).
ASSET_BASE = "/app/static/vendor"
VENDOR_DIR = "vendor"


@dataclass(frozen=True, slots=True)
class Asset:
    """One file shipped inside an installed Python package and where it goes under the vendor folder."""

    package: str
    source: str
    target: str

    @property
    def url(self) -> str:
        """The URL the browser loads the file from."""
        return f"{ASSET_BASE}/{self.target}"


_LEAFLET_IMAGES = ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")

ASSETS: tuple[Asset, ...] = (
    Asset("xstatic.pkg.leaflet", "data/leaflet.js", "leaflet/leaflet.js"),
    Asset("xstatic.pkg.leaflet", "data/leaflet.css", "leaflet/leaflet.css"),
    *(Asset("xstatic.pkg.leaflet", f"data/images/{name}", f"leaflet/images/{name}") for name in _LEAFLET_IMAGES),
    Asset("xstatic.pkg.jquery", "data/jquery.min.js", "jquery/jquery.min.js"),
    Asset(
        "xstatic.pkg.leaflet_markercluster", "data/leaflet.markercluster.js", "markercluster/leaflet.markercluster.js"
    ),
    Asset("xstatic.pkg.leaflet_markercluster", "data/MarkerCluster.css", "markercluster/MarkerCluster.css"),
    Asset(
        "xstatic.pkg.leaflet_markercluster", "data/MarkerCluster.Default.css", "markercluster/MarkerCluster.Default.css"
    ),
    Asset("folium", "templates/leaflet_heat.min.js", "leaflet-heat/leaflet_heat.min.js"),
)
_BY_TARGET = {asset.target: asset for asset in ASSETS}

ICON_IMAGE_PATH = f"{ASSET_BASE}/leaflet/images/"
# Bootstrap, awesome-markers and font-awesome are left out: nothing here uses them, and a script
# that fails to load stops st_folium before the map is drawn.
# Leaflet alone: nothing in Rasd's maps uses jQuery, and the map's frame loads each script after the one before.
MAP_JS: list[tuple[str, str]] = [("leaflet", _BY_TARGET["leaflet/leaflet.js"].url)]
# What a plain folium Map loads besides (use_local_assets): folium's default scripts include jQuery.
FOLIUM_MAP_JS: list[tuple[str, str]] = [*MAP_JS, ("jquery", _BY_TARGET["jquery/jquery.min.js"].url)]
MAP_CSS: list[tuple[str, str]] = [("leaflet_css", _BY_TARGET["leaflet/leaflet.css"].url)]
CLUSTER_JS: list[tuple[str, str]] = [
    ("markerclusterjs", _BY_TARGET["markercluster/leaflet.markercluster.js"].url),
]
CLUSTER_CSS: list[tuple[str, str]] = [
    ("markerclustercss", _BY_TARGET["markercluster/MarkerCluster.css"].url),
    ("markerclusterdefaultcss", _BY_TARGET["markercluster/MarkerCluster.Default.css"].url),
]
HEAT_JS: list[tuple[str, str]] = [("leaflet-heat.js", _BY_TARGET["leaflet-heat/leaflet_heat.min.js"].url)]

_LOCAL: tuple[tuple[type, list[tuple[str, str]], list[tuple[str, str]]], ...] = (
    (folium.Map, MAP_JS, MAP_CSS),
    (folium.plugins.MarkerCluster, CLUSTER_JS, CLUSTER_CSS),
    (folium.plugins.HeatMap, HEAT_JS, []),
)


def _source(asset: Asset) -> Traversable:
    try:
        path = importlib.resources.files(asset.package).joinpath(asset.source)
    except ModuleNotFoundError as exc:
        raise RasdError(f"map asset package {asset.package} is not installed (pip install -e .)") from exc
    if not path.is_file():
        raise RasdError(f"map asset {asset.source} is missing from the installed package {asset.package}")
    return path


def install_assets(static_dir: Path) -> Path:
    """Copy the map's scripts, styles and images into static_dir/vendor (only what is missing or changed)."""
    vendor = Path(static_dir) / VENDOR_DIR
    for asset in ASSETS:
        source = _source(asset)
        target = vendor / asset.target
        data = source.read_bytes()
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed over it: a page never loads a half-written script.
        handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    return vendor


def localize(element: folium.MacroElement) -> folium.MacroElement:
    """Point one folium element's scripts and styles at the local copies; returns the element."""
    for cls, js, css in _LOCAL:
        if isinstance(element, cls):
            element.default_js = list(js)
            element.default_css = list(css)
            break
    return element


def use_local_assets() -> None:
    """Point every folium Map, MarkerCluster and HeatMap created from now on at the local copies."""
    for cls, js, css in _LOCAL:
        cls.default_js = list(FOLIUM_MAP_JS if cls is folium.Map else js)
        cls.default_css = list(css)
