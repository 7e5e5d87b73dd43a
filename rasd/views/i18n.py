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
    "page.add": ("Add articles", "إضافة مقالات"),
    "page.review": ("Review", "المراجعة"),
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
    "map.legend_review": ("Review", "المراجعة"),
    "map.legend_unreviewed": ("Not yet reviewed (fainter)", "لم تُراجع بعد (أبهت)"),
    "map.heat": ("Heat map", "خريطة حرارية"),
    "map.layer": ("Show as", "العرض"),
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
    "data.synthetic": (
        "Synthetic data: these events were generated for benchmarks (bench/make_store.py); none of them happened.",
        "بيانات مصطنعة: وُلّدت هذه الأحداث لاختبارات الأداء (bench/make_store.py)، ولم يقع أيّ منها.",
    ),
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
    # Editors: signing in.
    "auth.intro": (
        "This page is for Rasd's editors: sign in to continue.", "هذه الصفحة لمحرري رصد: سجّل الدخول للمتابعة."
    ),
    "auth.name": ("Editor name", "اسم المحرر"),
    "auth.password": ("Password", "كلمة المرور"),
    "auth.submit": ("Sign in", "تسجيل الدخول"),
    "auth.failed": (
        "Sign-in failed: wrong editor name or password.", "تعذّر تسجيل الدخول: اسم المحرر أو كلمة المرور غير صحيحة."
    ),
    "auth.locked": (
        "Too many failed sign-ins: try again in {minutes} min.",
        "محاولات دخول فاشلة كثيرة: حاول مجددًا بعد {minutes} دقيقة.",
    ),
    "auth.expired": ("Your session has ended: sign in again.", "انتهت جلستك: سجّل الدخول مجددًا."),
    "auth.users_error": (
        "The editors file cannot be read: ask whoever runs Rasd.", "تعذّرت قراءة ملف المحررين: راجع من يدير رصد."
    ),
    "auth.signed_in_as": ("Signed in as", "تم تسجيل الدخول باسم"),
    "auth.sign_out": ("Sign out", "تسجيل الخروج"),
    # Editors: adding articles.
    "add.how": ("Add by", "طريقة الإضافة"),
    "add.way_paste": ("Pasting the text", "لصق النص"),
    "add.way_upload": ("Uploading files", "رفع ملفات"),
    "add.way_url": ("Fetching a URL", "جلب رابط"),
    "add.text": ("Article text (Arabic)", "نص المقال (بالعربية)"),
    "add.title": ("Title (else the first line)", "العنوان (وإلا فالسطر الأول)"),
    "add.outlet": ("News outlet", "الوسيلة الإعلامية"),
    "add.url": ("URL of the article", "رابط المقال"),
    "add.published": ("Publication date", "تاريخ النشر"),
    "add.files": (
        "Article files: .txt (title on the first line) or saved .html pages",
        "ملفات المقالات: .txt (العنوان في السطر الأول) أو صفحات .html محفوظة",
    ),
    "add.page_url": ("Page URL (public http or https address)", "رابط الصفحة (عنوان http أو https عام)"),
    "add.preview": ("Preview", "معاينة"),
    "add.fetch": ("Fetch and preview", "جلب ومعاينة"),
    "add.preview_title": ("Preview: nothing is saved yet", "معاينة: لم يُحفظ شيء بعد"),
    "add.stored_as": ("Stored as", "يُحفظ باسم"),
    "add.duplicate": (
        "This text is already stored, so saving adds nothing:", "هذا النص محفوظ مسبقًا، فالحفظ لن يضيف شيئًا:"
    ),
    "add.found": ("Events found", "الأحداث المكتشفة"),
    "add.no_events": (
        "The extractor finds no attack in this article; saving stores the article only.",
        "لم يعثر المستخرج على أي هجوم في هذا المقال؛ الحفظ يخزّن المقال وحده.",
    ),
    "add.event_n": ("Event", "الحدث"),
    "add.save": ("Save to the review queue", "حفظ في قائمة المراجعة"),
    "add.discard": ("Discard", "تجاهل"),
    "add.saved": (
        "Saved: {added} new, {updated} updated, {unchanged} unchanged articles; {events} events wait in the review "
        "queue.",
        "تم الحفظ: {added} مقالات جديدة، و{updated} محدّثة، و{unchanged} دون تغيير؛ و{events} أحداث بانتظار المراجعة.",
    ),
    "add.discarded": ("Discarded: nothing was saved.", "تم التجاهل: لم يُحفظ شيء."),
    "add.need_text": ("Paste the article text first.", "الصق نص المقال أولًا."),
    "add.need_files": ("Choose at least one file first.", "اختر ملفًا واحدًا على الأقل أولًا."),
    "add.need_url": ("Enter the page's URL first.", "أدخل رابط الصفحة أولًا."),
    "add.bad_article": ("This article cannot be added:", "لا يمكن إضافة هذا المقال:"),
    "add.bad_file": ("This file cannot be added:", "لا يمكن إضافة هذا الملف:"),
    "add.not_saved": ("Nothing was saved:", "لم يُحفظ شيء:"),
    "add.fetch_blocked": (
        "This address is not fetched (only public http and https addresses are):",
        "لا يُجلب هذا العنوان (تُجلب عناوين http وhttps العامة فقط):",
    ),
    "add.fetch_too_large": ("The page is too large to fetch:", "الصفحة أكبر من أن تُجلب:"),
    "add.fetch_timeout": (
        "The site did not answer in time; try again later:", "لم يستجب الموقع في الوقت المحدد؛ حاول لاحقًا:"
    ),
    "add.fetch_status": ("The site answered with an error:", "ردّ الموقع بخطأ:"),
    "add.fetch_redirect": ("The page redirects too often or in a loop:", "الصفحة تعيد التوجيه كثيرًا أو في حلقة:"),
    "add.fetch_no_article": ("No Arabic article could be read from this page:", "تعذّرت قراءة مقال عربي من هذه الصفحة:"),
    "add.fetch_failed": ("The page could not be fetched:", "تعذّر جلب الصفحة:"),
    # Editors: reviewing events.
    "review.status": ("Events that are", "الأحداث التي حالتها"),
    "review.page": ("Events shown", "الأحداث المعروضة"),
    "review.empty": ("No events have this status.", "لا توجد أحداث بهذه الحالة."),
    "review.event_id": ("Event id", "معرّف الحدث"),
    "review.article_text": ("Article text, report", "نص المقال، التقرير"),
    "review.comment": ("Comment for Verify, Reject, Merge or Split (optional)",
                       "تعليق على التوثيق أو الرفض أو الدمج أو الفصل (اختياري)"),
    "review.verify": ("Verify", "توثيق"),
    "review.reject": ("Reject", "رفض"),
    "review.edit": ("Edit", "تصحيح"),
    "review.place_search": ("Find a place (Arabic or English)", "البحث عن مكان (بالعربية أو الإنجليزية)"),
    "review.place_pick": ("Place from the gazetteer", "مكان من المعجم الجغرافي"),
    "review.keep_place": ("Keep the place (or set the coordinates)", "الإبقاء على المكان (أو تحديد الإحداثيات)"),
    "review.lat": ("Latitude", "خط العرض"),
    "review.lon": ("Longitude", "خط الطول"),
    "review.blank_unknown": ("Leave empty when unknown", "اتركه فارغًا إن لم يكن معروفًا"),
    "review.why": ("Why (optional)", "السبب (اختياري)"),
    "review.save_edit": ("Save changes", "حفظ التغييرات"),
    "review.reload": ("Reload the event", "إعادة تحميل الحدث"),
    "review.form_stale": (
        "This event changed since the form was loaded: reload it to see the saved values.",
        "تغيّر هذا الحدث منذ تحميل النموذج: أعد تحميله لترى القيم المحفوظة.",
    ),
    "review.conflict": (
        "Someone else saved event {id} first: reload it and make your change again.",
        "حفظ محرر آخر الحدث {id} قبلك: أعد تحميله ثم أعد تعديلك.",
    ),
    "review.nothing_changed": ("Nothing to save: event {id} already has these values.",
                               "لا شيء للحفظ: الحدث {id} يحمل هذه القيم أصلًا."),
    "review.not_saved": ("Not saved:", "لم يُحفظ:"),
    "review.merge_split": ("Merge or split", "دمج أو فصل"),
    "review.merge_with": ("Another report of the same attack (event id)", "تقرير آخر عن الهجوم نفسه (معرّف الحدث)"),
    "review.merge_placeholder": ("Pick or type an event id", "اختر معرّف حدث أو اكتبه"),
    "review.merge_button": ("Merge into this event", "دمج في هذا الحدث"),
    "review.pick_event": ("Pick the event to merge first.", "اختر الحدث المراد دمجه أولًا."),
    "review.split_article": ("Article whose report is another attack", "المقال الذي يروي هجومًا آخر"),
    "review.split_button": ("Split it out", "فصله"),
    "review.split_needs_two": (
        "Only an event reported by two or more articles can be split.",
        "لا يُفصل إلا حدث أورده مقالان أو أكثر.",
    ),
    "review.done_verify": ("Event {id} verified.", "تم توثيق الحدث {id}."),
    "review.done_reject": (
        "Event {id} rejected: it has left the public pages.", "تم رفض الحدث {id}: لم يعد يظهر في الصفحات العامة."
    ),
    "review.done_edit": ("Event {id} corrected.", "تم تصحيح الحدث {id}."),
    "review.done_merge": ("Event {other} merged into event {id}.", "تم دمج الحدث {other} في الحدث {id}."),
    "review.done_split": (
        "Split from event {id}: the report is now event {new}, unreviewed.",
        "تم الفصل من الحدث {id}: صار التقرير الحدث {new}، دون مراجعة.",
    ),
    "review.history": ("History", "السجل"),
    "review.no_history": ("No decisions yet.", "لا قرارات بعد."),
    "review.comment_label": ("Comment", "تعليق"),
    "review.orphaned": ("Orphaned decisions", "قرارات يتيمة"),
    "review.orphaned_help": (
        "Decisions whose reports are gone (their article changed or was removed): kept, never applied.",
        "قرارات لم تعد تقاريرها موجودة (تغيّر مقالها أو حُذف): محفوظة ولا تُطبَّق.",
    ),
    "review.no_orphaned": ("No orphaned decisions.", "لا قرارات يتيمة."),
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
        "add": ("Add articles", "إضافة مقالات"),
        "review": ("Review", "المراجعة"),
    },
    "decision": {
        "verify": ("Verified", "توثيق"),
        "reject": ("Rejected", "رفض"),
        "edit": ("Edited", "تصحيح"),
        "merge": ("Merged", "دمج"),
        "split": ("Split", "فصل"),
    },
    "decision_state": {
        "applied": ("applied", "مطبَّق"),
        "orphaned": ("orphaned", "يتيم"),
    },
    "preset": {
        "all": ("All dates", "كل التواريخ"),
        "last30": ("Last 30 days", "آخر 30 يومًا"),
        "year": ("Last year of data", "آخر سنة من البيانات"),
    },
    "layer": {
        "markers": ("Markers", "علامات"),
        "heat": ("Heat map", "خريطة حرارية"),
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
