// The events map's browser code (rasd.views.mapview). The page holds this file once, in the map's script;
// each layer's template is one call of a function below with JSON arguments made in Python.
// Every function here is a declaration, so the page can call them from anywhere in its script.
// rasd.views.mapview sends this file without its indentation and whole-line comments: keep every string on
// one line and every comment on lines of its own (no /* */ comments, no template literals).
// Text from articles is data, never HTML: it is set as textContent or passed through rasdEsc().

// Text made safe to put into HTML.
function rasdEsc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
        return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
}

// A ring in the Encoded Polyline format (lat first, 1e-4 degrees, deltas) as [lon, lat] positions.
function rasdDecodeRing(text) {
    var points = [], i = 0, lat = 0, lon = 0;
    function next() {
        var shift = 0, value = 0, b;
        do { b = text.charCodeAt(i++) - 63; value |= (b & 31) << shift; shift += 5; } while (b >= 32);
        return (value & 1) ? ~(value >> 1) : (value >> 1);
    }
    while (i < text.length) {
        lat += next();
        lon += next();
        points.push([lon / 1e4, lat / 1e4]);
    }
    return points;
}

// Marker image path, boundary attribution, and the panes of the selection (above the markers) and of
// the place labels (under them); neither pane takes the pointer.
function rasdSetup(map, opts) {
    L.Icon.Default.imagePath = opts.imagePath;
    if (map.attributionControl) {
        map.attributionControl.addAttribution(opts.attribution);
    }
    map.createPane("rasdSelected");
    map.getPane("rasdSelected").style.zIndex = 640;
    map.getPane("rasdSelected").style.pointerEvents = "none";
    map.createPane("rasdPlaces");
    map.getPane("rasdPlaces").style.zIndex = 450;
    map.getPane("rasdPlaces").style.pointerEvents = "none";
}

// Iraq's outline or governorates, added to the map; with opts.nameProperty each shows its name on hover.
// features: [{properties, polygons: [[encoded ring, ...], ...]}]; opts: style, hoverStyle, interactive.
function rasdBoundaries(map, features, opts) {
    var plain = opts.style;
    var collection = features.map(function (f) {
        return {type: "Feature", properties: f.properties, geometry: {
            type: "MultiPolygon",
            coordinates: f.polygons.map(function (rings) { return rings.map(rasdDecodeRing); })
        }};
    });
    var options = {style: function () { return plain; }, interactive: opts.interactive};
    if (opts.nameProperty) {
        var names = opts.nameProperty;
        var hover = opts.hoverStyle;
        // A map drawn afresh under a still pointer (after a click reran the page) gets mouse events
        // from the browser: names show only once the pointer has really moved over this map.
        var moved = false, still = null;
        var arm = function (e) {
            if (!still) { still = e.containerPoint; }
            if (!moved && e.containerPoint.distanceTo(still) > 3) { moved = true; }
        };
        options.onEachFeature = function (feature, part) {
            part.bindTooltip(rasdEsc(feature.properties[names] || ""), {
                sticky: false, direction: "center", opacity: 0.85
            });
            var quiet = false;
            part.on("tooltipopen", function () { if (!moved || quiet) { part.closeTooltip(); } });
            part.on("mouseover", function () { if (moved) { part.setStyle(hover); } });
            part.on("mousemove", function (e) {
                arm(e);
                if (moved && !quiet && !part.isTooltipOpen()) { part.setStyle(hover); part.openTooltip(); }
            });
            part.on("mouseout", function () { quiet = false; part.setStyle(plain); });
            // Leaflet opens a tooltip on click too: a clicked governorate shows no name until left.
            part.on("click", function () { quiet = true; part.closeTooltip(); });
        };
        map.on("mousemove", arm);
    }
    var layer = L.geoJSON({type: "FeatureCollection", features: collection}, options);
    if (opts.nameProperty) {
        map.on("movestart zoomstart", function () {
            layer.eachLayer(function (part) { part.closeTooltip(); });
        });
    }
    layer.addTo(map);
    return layer;
}

// All events as one marker cluster on the map, built from the compact payload (rasd.views.mapview.MapPayload):
// data.rows are [place, day offset or null, weapon, geo precision, date precision, pos, review]: pos is the
// event's number (events.pos), which the server maps back to its id; the browser never gets ids.
// cfg: dir, unknownDate, datePrecisions, weapons, precisions (labels), sizes, icons (SVG per weapon and
// precision). The cluster gets rasdLatLngs(), rasdMarker(pos), rasdIcon(w, g), and rasdLoaded plus a
// "rasdloaded" event once every marker is in.
function rasdEvents(map, cfg, data, clusterOptions) {
    var places = data.places, labels = data.labels, rows = data.rows;
    function dateText(r) {
        if (r[1] === null) { return cfg.unknownDate; }
        var iso = new Date((data.day0 + r[1]) * 864e5).toISOString();
        var precision = cfg.datePrecisions[r[4]];
        if (precision === "month") { return iso.slice(0, 7); }
        if (precision === "year") { return iso.slice(0, 4); }
        if (precision === "approximate") { return "\u2248 " + iso.slice(0, 10); }
        return iso.slice(0, 10);
    }
    function placeText(r) { return labels[places[r[0]][2]]; }
    function summary(r) {
        return dateText(r) + " \u00b7 " + cfg.weapons[r[2]] + " \u00b7 " + placeText(r);
    }
    function popupFor(layer) {
        var r = layer.rasdRow;
        var box = document.createElement("div");
        box.className = "rasd-popup";
        box.dir = cfg.dir;
        var head = document.createElement("div");
        head.className = "rasd-popup-head";
        head.textContent = dateText(r) + " \u00b7 " + cfg.weapons[r[2]];
        var place = document.createElement("div");
        place.textContent = placeText(r);
        var meta = document.createElement("div");
        meta.className = "rasd-popup-meta";
        meta.textContent = cfg.precisions[r[3]] + " \u00b7 " + cfg.reviews[r[6]];
        box.appendChild(head);
        box.appendChild(place);
        box.appendChild(meta);
        return box;
    }
    function prepare(marker) {
        if (!marker || !marker.rasdRow || marker.getTooltip()) { return false; }
        var r = marker.rasdRow;
        // A string tooltip: st_folium returns its text content, which ends with the event's number in a
        // hidden span (rasd.views.mapview.event_pos_from_click reads the "#<pos>" at its end).
        marker.bindTooltip(rasdEsc(summary(r)) + '<span class="rasd-pos" hidden>#' + Number(r[5]) + "</span>",
            {direction: "top"});
        marker.bindPopup(popupFor, {maxWidth: 280});
        return true;
    }
    var icons = [];
    // One icon per weapon, location precision and review status (s defaults to the first, unreviewed).
    function icon(w, g, s) {
        s = s || 0;
        var k = (w * cfg.sizes.length + g) * cfg.reviews.length + s;
        if (!icons[k]) {
            var size = cfg.sizes[g];
            icons[k] = L.divIcon({
                html: cfg.icons[w][g], className: "rasd-icon rasd-review-" + cfg.reviewCodes[s],
                iconSize: [size, size], iconAnchor: [size / 2, size / 2],
                popupAnchor: [0, -size / 2], tooltipAnchor: [0, -size / 2]
            });
        }
        return icons[k];
    }
    var cluster = L.markerClusterGroup(clusterOptions);
    cluster.options.iconCreateFunction = function (c) {
        return L.divIcon({
            html: "<div><span>" + c.getChildCount() + "</span></div>",
            className: "marker-cluster rasd-cluster", iconSize: L.point(40, 40)
        });
    };
    var markers = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) {
        var r = rows[i], p = places[r[0]];
        var m = L.marker([p[0], p[1]], {icon: icon(r[2], r[3], r[6]), keyboard: false});
        m.rasdRow = r;
        markers[i] = m;
    }
    cluster.on("mouseover", function (e) { if (prepare(e.layer)) { e.layer.openTooltip(); } });
    cluster.on("click", function (e) { if (prepare(e.layer)) { e.layer.openPopup(); } });
    // On the map first: markercluster 1.4 checks every pending marker against the whole list otherwise (quadratic).
    cluster.addTo(map);
    // Set only now: going on the map reports an empty batch ("0 of 0 done"), which is not the markers loaded.
    // addLayers reads the option when it starts, and reports once even for no markers at all.
    cluster.options.chunkProgress = function (done, total) {
        if (done >= total) { cluster.rasdLoaded = true; cluster.fire("rasdloaded"); }
    };
    cluster.addLayers(markers);
    cluster.rasdLatLngs = function () {
        return rows.map(function (r) { return [places[r[0]][0], places[r[0]][1]]; });
    };
    cluster.rasdMarker = function (pos) {
        for (var i = 0; i < markers.length; i++) {
            if (markers[i].rasdRow[5] === pos) { return markers[i]; }
        }
        return null;
    };
    cluster.rasdIcon = icon;
    return cluster;
}

// The selected event ({pos, lat, lon}) in its own layer above the markers, added to the map: a ring, and
// the event's symbol while a cluster hides it. events is the layer rasdEvents() made.
function rasdSelected(map, events, selected) {
    var where = L.latLng(selected.lat, selected.lon);
    var group = L.layerGroup();
    L.circleMarker([selected.lat, selected.lon], {
        radius: 23, weight: 7, color: "#ffffff", opacity: 0.9, fill: false,
        interactive: false, pane: "rasdSelected"
    }).addTo(group);
    L.circleMarker([selected.lat, selected.lon], {
        radius: 23, weight: 3, color: "#111111", opacity: 0.95, fill: false,
        interactive: false, pane: "rasdSelected", className: "rasd-selected"
    }).addTo(group);
    var symbol = null;
    // Its own symbol is drawn only while the event is folded into a cluster drawn somewhere else.
    function sync() {
        var marker = events.rasdMarker(selected.pos);
        if (!marker || !map.hasLayer(events)) { return; }
        var parent = events.getVisibleParent(marker), show = false;
        if (parent && parent !== marker) {
            var a = map.latLngToLayerPoint(parent.getLatLng()), b = map.latLngToLayerPoint(where);
            show = a.distanceTo(b) > 20;
        }
        if (show && !symbol) {
            symbol = L.marker(where, {
                icon: events.rasdIcon(marker.rasdRow[2], marker.rasdRow[3], marker.rasdRow[6]),
                interactive: false, keyboard: false, pane: "rasdSelected"
            }).addTo(group);
        } else if (!show && symbol) {
            group.removeLayer(symbol);
            symbol = null;
        }
    }
    map.on("zoomend moveend", sync);
    events.on("animationend rasdloaded", sync);
    if (events.rasdLoaded) { sync(); }
    group.addTo(map);
    return group;
}

// Grey dots and names of major places under the events, added to the map, with labels that would collide
// left out. capitals: [[lat, lon, name], ...] most important first; sides: the order in which a name is
// tried after ("e" in a left-to-right page), before, above and below its dot.
function rasdPlaces(map, events, capitals, sides) {
    var group = L.layerGroup();
    var markers = capitals.map(function (p) {
        var name = document.createElement("span");
        name.className = "rasd-place-name rasd-place-" + sides[0];
        name.dir = "auto";
        name.textContent = p[2];
        return L.marker([p[0], p[1]], {
            icon: L.divIcon({html: name, className: "rasd-place", iconSize: [7, 7]}),
            interactive: false, keyboard: false, pane: "rasdPlaces"
        }).addTo(group);
    });
    function covered(a, list) {
        var area = 0;
        for (var i = 0; i < list.length; i++) {
            var b = list[i];
            var w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
            var h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
            if (w > 0 && h > 0) { area += w * h; }
        }
        return area;
    }
    // Event symbols and clusters drawn right now, as boxes in layer pixels.
    function eventBoxes() {
        var pane = map.getPane("markerPane"), origin = map.getContainer().getBoundingClientRect();
        return Array.prototype.map.call(pane.querySelectorAll(".leaflet-marker-icon"), function (el) {
            var r = el.getBoundingClientRect();
            var a = map.containerPointToLayerPoint([r.left - origin.left, r.top - origin.top]);
            return [a.x, a.y, a.x + r.width, a.y + r.height];
        });
    }
    // Places come most important first. A name goes after its dot, before it, above or below it, clear
    // of the names placed so far, where events cover it least; with no clear side it is hidden.
    function declutter() {
        var points = markers.map(function (m) { return map.latLngToLayerPoint(m.getLatLng()); });
        var taken = points.map(function (p) { return [p.x - 4, p.y - 4, p.x + 4, p.y + 4]; });
        var drawn = eventBoxes();
        markers.forEach(function (m, i) {
            var el = m.getElement(), name = el && el.firstChild;
            if (!name) { return; }
            var w = name.offsetWidth, h = name.offsetHeight, p = points[i], side = null;
            var boxes = sides.map(function (s) {
                if (s === "e") { return [p.x + 7, p.y - h / 2, p.x + 9 + w, p.y + h / 2]; }
                if (s === "w") { return [p.x - 9 - w, p.y - h / 2, p.x - 7, p.y + h / 2]; }
                if (s === "n") { return [p.x - w / 2, p.y - 9 - h, p.x + w / 2, p.y - 5]; }
                return [p.x - w / 2, p.y + 5, p.x + w / 2, p.y + 9 + h];
            });
            var best = Infinity;
            for (var k = 0; k < sides.length; k++) {
                var hidden = covered(boxes[k], drawn);
                if (!covered(boxes[k], taken) && hidden < best) { best = hidden; side = k; }
            }
            if (side !== null) { taken.push(boxes[side]); side = sides[side]; }
            name.className = "rasd-place-name rasd-place-" + (side || sides[0]) +
                (side ? "" : " rasd-place-hidden");
        });
    }
    group.on("add", function () { setTimeout(declutter, 0); });
    map.on("zoomend resize", declutter);
    events.on("animationend rasdloaded", declutter);
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(declutter); }
    group.addTo(map);
    return group;
}

// A heat map of the event layer's points, added to the map: the same payload, not a second copy of it.
function rasdHeat(map, events, options) {
    var heat = L.heatLayer(events.rasdLatLngs(), options);
    heat.addTo(map);
    return heat;
}

// The legend control around the page's #rasd-legend element; opts: position, openFromPx, openMaxZoom.
function rasdLegend(map, opts) {
    var legend = L.control({position: opts.position});
    legend.onAdd = function (map) {
        var el = document.getElementById("rasd-legend") || L.DomUtil.create("div", "rasd-legend");
        var toggle = el.querySelector(".rasd-legend-toggle");
        function show(open) {
            el.classList.toggle("rasd-legend-closed", !open);
            if (toggle) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
        }
        // Open on the country-wide view of a map wide enough to spare the room; folded when zoomed
        // in on a selection or narrow (a width of 0 is a map not laid out yet).
        var width = map.getSize().x;
        show(!(width > 0 && width < opts.openFromPx) && map.getZoom() <= opts.openMaxZoom);
        if (toggle) {
            L.DomEvent.on(toggle, "click", function () {
                show(el.classList.contains("rasd-legend-closed"));
            });
        }
        el.hidden = false;
        L.DomEvent.disableClickPropagation(el);
        L.DomEvent.disableScrollPropagation(el);
        return el;
    };
    legend.addTo(map);
    return legend;
}
