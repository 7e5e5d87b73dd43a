"""Interface labels in English and Arabic: one table for every word the pages show."""

from __future__ import annotations

from rasd import vocab

LANGS = ("en", "ar")
DEFAULT_LANG = "en"
_RTL = frozenset({"ar"})

# key -> (English, Arabic). Values may hold str.format fields, filled by t(key, lang, **values).
_TEXT: dict[str, tuple[str, str]] = {
    "app.title": ("Rasd", "رصد"),
    "app.subtitle": (
        "Attacks on US and coalition forces in Iraq, from Arabic news reports",
        "الهجمات على القوات الأمريكية وقوات التحالف في العراق، من التقارير الإخبارية العربية",
    ),
    "app.language": ("Language", "اللغة"),
    "app.about": ("About", "حول"),
    "app.loading": ("Loading…", "جارٍ التحميل…"),
    "app.no_data": (
        "No data yet: ingest articles first (make db).",
        "لا توجد بيانات بعد: أدخل المقالات أولًا (make db).",
    ),
    # Pages.
    "page.map": ("Map", "الخريطة"),
    "page.timeline": ("Timeline", "الخط الزمني"),
    "page.events": ("Events", "الأحداث"),
    "page.places": ("Places", "الأماكن"),
    "page.sources": ("Sources", "المصادر"),
    # Filter panel.
    "filters.title": ("Filters", "عوامل التصفية"),
    "filter.dates": ("Dates", "التواريخ"),
    "filter.start": ("From", "من"),
    "filter.end": ("To", "إلى"),
    "filter.weapon": ("Weapon", "السلاح"),
    "filter.target": ("Target", "الهدف"),
    "filter.outcome": ("Outcome", "النتيجة"),
    "filter.governorate": ("Governorate", "المحافظة"),
    "filter.place": ("Place", "المكان"),
    "filter.claimant": ("Claimed by", "الجهة المتبنية"),
    "filter.outlet": ("News outlet", "الوسيلة الإعلامية"),
    "filter.q": ("Search", "بحث"),
    "filter.review": ("Review", "المراجعة"),
    "filter.q_placeholder": (
        "Place, group, outlet or words from the report", "مكان أو جماعة أو وسيلة إعلامية أو كلمات من التقرير"
    ),
    "filter.any": ("Any", "الكل"),
    "filter.none_selected": ("All", "الكل"),
    "filter.presets": ("Period", "الفترة"),
    "preset.all": ("All dates", "كل التواريخ"),
    "preset.last30": ("Last 30 days", "آخر 30 يومًا"),
    "preset.year": ("Last year of data", "آخر سنة من البيانات"),
    "preset.custom": ("Custom", "مخصص"),
    # Buttons and actions.
    "button.reset": ("Reset filters", "إعادة تعيين عوامل التصفية"),
    "button.apply": ("Apply", "تطبيق"),
    "button.clear": ("Clear", "مسح"),
    "button.copy_link": ("Copy link", "نسخ الرابط"),
    "button.link_copied": ("Link copied", "تم نسخ الرابط"),
    "button.close": ("Close", "إغلاق"),
    "button.show_on_map": ("Show on map", "عرض على الخريطة"),
    "button.show_events": ("Show events", "عرض الأحداث"),
    "button.back": ("Back", "رجوع"),
    "download.title": ("Download", "تنزيل"),
    "download.csv": ("Download CSV", "تنزيل CSV"),
    "download.csv_help": ("Events in ACLED-style columns", "الأحداث بأعمدة على نمط ACLED"),
    "download.geojson": ("Download GeoJSON", "تنزيل GeoJSON"),
    "download.citation": ("Download citation", "تنزيل الاقتباس"),
    "download.cite_as": ("Cite as", "يُستشهد به كالتالي"),
    # Map.
    "map.legend": ("Legend", "مفتاح الخريطة"),
    "map.legend_weapon": ("Colour: weapon", "اللون: السلاح"),
    "map.legend_precision": ("Marker: location precision", "العلامة: دقة الموقع"),
    "map.heat": ("Heat map", "خريطة حرارية"),
    "map.markers": ("Markers", "علامات"),
    "map.basemap": ("Base map", "الخريطة الأساسية"),
    "map.offline_tiles": ("Offline: outline only", "دون اتصال: الحدود فقط"),
    "map.approximate_location": ("Approximate location", "موقع تقريبي"),
    "map.click_hint": ("Click a marker for details", "انقر على علامة لعرض التفاصيل"),
    # Timeline.
    "timeline.title": ("Attacks over time", "الهجمات عبر الزمن"),
    "timeline.by_day": ("per day", "يوميًا"),
    "timeline.by_week": ("per week", "أسبوعيًا"),
    "timeline.by_month": ("per month", "شهريًا"),
    "timeline.count": ("Attacks", "الهجمات"),
    "timeline.milestones": ("Milestones", "محطات بارزة"),
    # Event details and table columns.
    "event.title": ("Event", "الحدث"),
    "event.details": ("Event details", "تفاصيل الحدث"),
    "event.date": ("Date", "التاريخ"),
    "event.date_range": ("Between", "بين"),
    "event.place": ("Place", "المكان"),
    "event.governorate": ("Governorate", "المحافظة"),
    "event.coordinates": ("Coordinates", "الإحداثيات"),
    "event.weapon": ("Weapon", "السلاح"),
    "event.projectiles": ("Projectiles", "المقذوفات"),
    "event.target": ("Target", "الهدف"),
    "event.outcome": ("Outcome", "النتيجة"),
    "event.killed": ("Killed", "القتلى"),
    "event.wounded": ("Wounded", "الجرحى"),
    "event.claimed_by": ("Claimed by", "الجهة المتبنية"),
    "event.unclaimed": ("No claim reported", "لم يُعلن عن تبنٍّ"),
    "event.sources": ("Sources", "المصادر"),
    "event.n_sources": ("Reports", "التقارير"),
    "event.evidence": ("Evidence", "الدليل"),
    "event.article": ("Article", "المقال"),
    "event.outlet": ("Outlet", "الوسيلة الإعلامية"),
    "event.published": ("Published", "تاريخ النشر"),
    "event.date_precision": ("Date precision", "دقة التاريخ"),
    "event.geo_precision": ("Location precision", "دقة الموقع"),
    "event.review": ("Review status", "حالة المراجعة"),
    "event.version": ("Version", "الإصدار"),
    "event.not_found": ("The selected event is not in the data.", "الحدث المحدد غير موجود في البيانات."),
    "event.unknown": ("Unknown", "غير معروف"),
    # Places and sources pages.
    "places.title": ("Places", "الأماكن"),
    "places.kind": ("Kind", "النوع"),
    "places.events": ("Events", "الأحداث"),
    "places.coordinate_source": ("Coordinate source", "مصدر الإحداثيات"),
    "sources.title": ("Sources", "المصادر"),
    "sources.articles": ("Articles", "المقالات"),
    "sources.outlets": ("Outlets", "الوسائل الإعلامية"),
    "sources.events": ("Events reported", "الأحداث المبلغ عنها"),
    "sources.title_col": ("Title", "العنوان"),
    "sources.url": ("Link", "الرابط"),
    "sources.note": ("Note on the metadata", "ملاحظة على البيانات الوصفية"),
    "sources.flags": ("Data-quality flags", "تنبيهات جودة البيانات"),
    "places.search": ("Search places (Arabic or English)", "البحث عن مكان (بالعربية أو الإنجليزية)"),
    "places.aliases": ("Other spellings", "تهجئات أخرى"),
    "places.name_en": ("English name", "الاسم بالإنجليزية"),
    "places.name_ar": ("Arabic name", "الاسم بالعربية"),
    "table.date_help": (
        "The day, month or year reported; 2024-08-01–10 is a span of days, ≈ an approximate day. "
        "The event panel and the downloads give the full record.",
        "اليوم أو الشهر أو السنة كما وردت في التقرير؛ 2024-08-01–10 فترة من الأيام، و≈ يوم تقريبي. "
        "السجل الكامل في لوحة الحدث وفي الملفات المنزّلة.",
    ),
    # Dates.
    "date.since": ("since {date}", "منذ {date}"),
    "date.until": ("until {date}", "حتى {date}"),
    "date.unknown": ("Date unknown", "التاريخ غير معروف"),
    # Counts, empty states and notices.
    "count.events": ("{n} events", "{n} حدث"),
    "count.shown": ("Showing {shown} of {total}", "عرض {shown} من {total}"),
    "empty.no_events": ("No events match these filters.", "لا توجد أحداث تطابق عوامل التصفية هذه."),
    "empty.try_reset": (
        "Try widening the dates or resetting the filters.", "جرّب توسيع نطاق التواريخ أو إعادة تعيين عوامل التصفية."
    ),
    "empty.no_location": (
        "Events without a location are not on the map.", "الأحداث التي لا موقع لها لا تظهر على الخريطة."
    ),
    "notices.header": ("Some link values were ignored", "تم تجاهل بعض القيم في الرابط"),
    "notices.help": (
        "The link held values Rasd does not recognise; the rest of the view is shown.",
        "احتوى الرابط على قيم لا يعرفها رصد؛ تُعرض بقية الصفحة.",
    ),
    "error.title": ("Something went wrong", "حدث خطأ ما"),
    "error.store": ("The database cannot be read.", "تعذّرت قراءة قاعدة البيانات."),
    "unknown": ("Unknown", "غير معروف"),
    "yes": ("Yes", "نعم"),
    "no": ("No", "لا"),
    "and": ("and", "و"),
    "or": ("or", "أو"),
}

# kind -> code -> (English, Arabic), for the codes of rasd/vocab.py and other closed lists.
_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "weapon": {
        "drone": ("Drone", "طائرة مسيّرة"),
        "rocket": ("Rocket", "صاروخ"),
        "mortar": ("Mortar", "هاون"),
        "ied": ("IED", "عبوة ناسفة"),
        "gunfire": ("Gunfire", "إطلاق نار"),
        "unknown": ("Unknown", "غير معروف"),
    },
    "target": {
        "base": ("Base", "قاعدة"),
        "airport": ("Airport", "مطار"),
        "embassy": ("Embassy", "سفارة"),
        "convoy": ("Convoy", "رتل"),
        "other": ("Other", "أخرى"),
    },
    "outcome": {
        "casualties": ("Casualties", "خسائر بشرية"),
        "hit": ("Hit", "إصابة الهدف"),
        "intercepted": ("Intercepted", "اعتراض"),
        "fell_nearby": ("Fell nearby", "سقوط بالقرب"),
        "no_casualties": ("No casualties", "من دون خسائر"),
        "unknown": ("Unknown", "غير معروفة"),
    },
    "date_precision": {
        "day": ("Exact day", "يوم محدد"),
        "approximate": ("Approximate", "تقريبي"),
        "month": ("Month", "شهر"),
        "year": ("Year", "سنة"),
        "unknown": ("Unknown", "غير معروف"),
    },
    "geo_precision": {
        "site": ("Site", "موقع محدد"),
        "town": ("Town", "بلدة"),
        "road": ("Road between towns", "طريق بين مدينتين"),
        "district": ("District", "قضاء"),
        "governorate": ("Governorate", "محافظة"),
    },
    "review": {
        "unreviewed": ("Unreviewed", "لم يُراجَع"),
        "verified": ("Verified", "موثَّق"),
        "edited": ("Edited", "مُصحَّح"),
        "rejected": ("Rejected", "مرفوض"),
    },
    "place_kind": {
        "airbase": ("Air base", "قاعدة جوية"),
        "camp": ("Camp", "معسكر"),
        "airport": ("Airport", "مطار"),
        "embassy": ("Embassy", "سفارة"),
        "zone": ("Zone", "منطقة"),
        "city": ("City", "مدينة"),
        "district": ("District", "قضاء"),
        "subdistrict": ("Subdistrict", "ناحية"),
        "governorate": ("Governorate", "محافظة"),
        "region": ("Region", "إقليم"),
    },
    "page": {
        "map": ("Map", "الخريطة"),
        "timeline": ("Timeline", "الخط الزمني"),
        "events": ("Events", "الأحداث"),
        "places": ("Places", "الأماكن"),
        "sources": ("Sources", "المصادر"),
    },
    "preset": {
        "all": ("All dates", "كل التواريخ"),
        "last30": ("Last 30 days", "آخر 30 يومًا"),
        "year": ("Last year of data", "آخر سنة من البيانات"),
    },
    "lang": {
        "en": ("English", "English"),
        "ar": ("العربية", "العربية"),
    },
    "month": {
        "1": ("Jan", "يناير"), "2": ("Feb", "فبراير"), "3": ("Mar", "مارس"),
        "4": ("Apr", "أبريل"), "5": ("May", "مايو"), "6": ("Jun", "يونيو"),
        "7": ("Jul", "يوليو"), "8": ("Aug", "أغسطس"), "9": ("Sep", "سبتمبر"),
        "10": ("Oct", "أكتوبر"), "11": ("Nov", "نوفمبر"), "12": ("Dec", "ديسمبر"),
    },
    # Phrases used by Filters.describe(): the weapon as it qualifies "attacks".
    "weapon_attack": {
        "drone": ("drone", "طائرات مسيّرة"),
        "rocket": ("rocket", "صواريخ"),
        "mortar": ("mortar", "قذائف هاون"),
        "ied": ("IED", "عبوات ناسفة"),
        "gunfire": ("gunfire", "إطلاق نار"),
        "unknown": ("unknown-weapon", "سلاح غير معروف"),
    },
    # The target after "on" / "على", one attack.
    "target_one": {
        "base": ("a base", "قاعدة"),
        "airport": ("an airport", "مطار"),
        "embassy": ("an embassy", "سفارة"),
        "convoy": ("a convoy", "رتل"),
        "other": ("another target", "هدف آخر"),
    },
    # The target after "on" / "على", several attacks.
    "target_many": {
        "base": ("bases", "قواعد"),
        "airport": ("airports", "مطارات"),
        "embassy": ("embassies", "سفارات"),
        "convoy": ("convoys", "أرتال"),
        "other": ("other targets", "أهداف أخرى"),
    },
    "outcome_phrase": {
        "casualties": ("casualties", "خسائر بشرية"),
        "hit": ("hit", "إصابة الهدف"),
        "intercepted": ("intercepted", "اعتراض"),
        "fell_nearby": ("fell nearby", "سقوط بالقرب من الهدف"),
        "no_casualties": ("no casualties", "من دون خسائر"),
        "unknown": ("unknown", "غير معروفة"),
    },
}

# Every code of the shared vocabularies has a label; checked by the tests.
VOCAB_KINDS = {
    "weapon": vocab.WEAPONS,
    "target": vocab.TARGETS,
    "outcome": vocab.OUTCOMES,
    "date_precision": vocab.DATE_PRECISIONS,
    "geo_precision": vocab.GEO_PRECISIONS,
    "place_kind": vocab.PLACE_KINDS,
    "review": vocab.REVIEW_STATUSES,
}


def _index(lang: str) -> int:
    return 1 if lang == "ar" else 0


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The interface text for key in lang (English for an unknown lang, the key for an unknown key)."""
    pair = _TEXT.get(key)
    if pair is None:
        return key
    text = pair[_index(lang)]
    return text.format(**values) if values else text


def label(kind: str, code: str, lang: str = DEFAULT_LANG) -> str:
    """The display label of a vocabulary code (weapon, target, outcome, date_precision, geo_precision, ...)."""
    pair = _LABELS.get(kind, {}).get(code)
    if pair is None:
        return code
    return pair[_index(lang)]


def labels(kind: str, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Every code of kind with its label, in table order (vocabulary order for the vocab kinds)."""
    return {code: pair[_index(lang)] for code, pair in _LABELS.get(kind, {}).items()}


def has_key(key: str) -> bool:
    """True when key is in the interface table."""
    return key in _TEXT


def keys() -> tuple[str, ...]:
    """Every key of the interface table."""
    return tuple(_TEXT)


def is_rtl(lang: str) -> bool:
    """True for right-to-left languages."""
    return lang in _RTL


def direction(lang: str) -> str:
    """The HTML dir attribute value for lang."""
    return "rtl" if is_rtl(lang) else "ltr"
