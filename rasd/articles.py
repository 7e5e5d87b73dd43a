"""Article folders: `*.txt` files plus an optional `articles.csv` catalogue, read into Article records."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rasd.errors import ArticleError
from rasd.models import Article
from rasd.slug import slugify

CATALOGUE = "articles.csv"
# No news article is this long (the longest seed is 15 KB); a bigger file is a dump or a mistake.
MAX_ARTICLE_BYTES = 2_000_000
CATALOGUE_COLUMNS = ("file", "title", "outlet", "url", "published", "published_note")
# A real report is mostly Arabic even when it quotes English names or carries Latin page furniture.
MIN_ARABIC_LETTERS = 20
MIN_ARABIC_SHARE = 0.25
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ARABIC_LETTER = re.compile(
    "[\u0620-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]"
)
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    """The metadata one `articles.csv` row gives for one article file."""

    file: str
    title: str = ""
    outlet: str = ""
    url: str = ""
    published: date | None = None
    published_note: str = ""
    line: int = 0


@dataclass(slots=True)
class LoadResult:
    """The articles that loaded and one error per file or catalogue row that did not."""

    articles: list[Article] = field(default_factory=list)
    errors: list[ArticleError] = field(default_factory=list)


def outlet_id(name: str) -> str:
    """URL id of an outlet: the slug of its English name."""
    return slugify(name)


def read_catalogue(path: str | Path) -> tuple[dict[str, CatalogueRow], list[ArticleError]]:
    """Read an `articles.csv`: rows by file name, and one error per malformed row or header."""
    rows, errors = _parse_catalogue(Path(path))
    return rows, [e for file_errors in errors.values() for e in file_errors]


def load_articles(paths: Iterable[str | Path]) -> LoadResult:
    """Load every article under the given folders and files; bad input becomes errors, never an exception."""
    loader = _Loader()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            loader.folder(path)
        elif path.is_file():
            loader.single(path)
        elif path.exists():
            loader.result.errors.append(ArticleError(str(path), "not a regular file or folder"))
        else:
            loader.result.errors.append(ArticleError(str(path), "no such file or folder"))
    return loader.result


@dataclass(slots=True)
class _Loader:
    """One load: what loaded so far, the file names taken, and each catalogue read once."""

    result: LoadResult = field(default_factory=LoadResult)
    seen: dict[str, Path] = field(default_factory=dict)
    catalogues: dict[Path, tuple[dict[str, CatalogueRow], dict[str | None, list[ArticleError]]]] = field(
        default_factory=dict
    )

    def catalogue(self, folder: Path) -> tuple[dict[str, CatalogueRow], dict[str | None, list[ArticleError]]]:
        """The folder's catalogue rows and errors; errors about the whole catalogue are reported once."""
        path = folder / CATALOGUE
        if path not in self.catalogues:
            self.catalogues[path] = _parse_catalogue(path) if path.is_file() else ({}, {})
            self.result.errors.extend(self.catalogues[path][1].get(None, []))
        return self.catalogues[path]

    def folder(self, folder: Path) -> None:
        """Every .txt file of a folder, with the rows of its catalogue."""
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
        rows, errors = self.catalogue(folder)
        self.result.errors.extend(e for key, found in errors.items() if key is not None for e in found)
        if not files:
            self.result.errors.append(ArticleError(str(folder), "folder holds no .txt article files"))
        for path in files:
            self.file(path, rows.get(path.name))

    def single(self, path: Path) -> None:
        """One .txt file, with its row of the catalogue beside it (other rows are not its concern)."""
        if path.suffix.lower() != ".txt":
            self.result.errors.append(ArticleError(str(path), "not a .txt article file"))
            return
        rows, errors = self.catalogue(path.parent)
        self.result.errors.extend(errors.get(path.name, []))
        self.file(path, rows.get(path.name))

    def file(self, path: Path, row: CatalogueRow | None) -> None:
        """Read one article file unless an article of that name is already loaded."""
        name = path.name
        if name in self.seen:
            if self.seen[name].resolve() != path.resolve():
                self.result.errors.append(
                    ArticleError(str(path), f"another article named {name} was already loaded from {self.seen[name]}")
                )
            return
        try:
            text = _read_text(path)
        except ArticleError as e:
            self.result.errors.append(e)
            return
        self.seen[name] = path
        self.result.articles.append(_article(name, text, row))


def _read_text(path: Path) -> str:
    """Read one article file as Arabic text with '\\n' line ends; raise ArticleError when it is not usable."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(
                str(path), f"too large ({size / 1e6:.1f} MB; articles above {MAX_ARTICLE_BYTES // 1_000_000} MB are not read)"
            )
        data = path.read_bytes()
    except OSError as e:
        raise ArticleError(str(path), f"cannot be read ({e.strerror or e})") from e
    return article_text(data, where=str(path))


def article_text(data: bytes, *, where: str) -> str:
    """The bytes of an article file as Arabic text with '\\n' line ends; ArticleError (naming where) if unusable."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(where, f"too large ({len(data) / 1e6:.1f} MB; articles above "
                                  f"{MAX_ARTICLE_BYTES // 1_000_000} MB are not read)")
    if not data.strip():
        raise ArticleError(where, "empty file")
    if b"\x00" in data:
        raise ArticleError(where, "binary file (contains NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ArticleError(where, f"not UTF-8 text (invalid byte at offset {e.start})") from e
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError(where, "empty file")
    reason = not_arabic(text)
    if reason:
        raise ArticleError(where, reason)
    return text


def not_arabic(text: str) -> str:
    """Why a text is not an Arabic report ('' when it is one); fetched pages are held to the same rule."""
    arabic, letters = _letter_counts(text)
    if arabic < MIN_ARABIC_LETTERS or arabic < MIN_ARABIC_SHARE * letters:
        return f"not Arabic text ({arabic} Arabic letters out of {letters} letters)"
    return ""


def _letter_counts(text: str) -> tuple[int, int]:
    return len(_ARABIC_LETTER.findall(text)), len(_LETTER.findall(text))


def file_article(name: str, text: str) -> Article:
    """An article file with no catalogue row: its title is its first line, its date comes from the text."""
    return _article(name, text, None)


def _article(name: str, text: str, row: CatalogueRow | None) -> Article:
    row = row or CatalogueRow(file=name)
    return Article(
        file=name,
        text=text,
        title=row.title or _first_line(text),
        outlet=row.outlet,
        url=row.url,
        published=row.published,
        published_note=row.published_note,
    )


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _iso_date(text: str) -> date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _parse_catalogue(path: Path) -> tuple[dict[str, CatalogueRow], dict[str | None, list[ArticleError]]]:
    """Rows by file name and errors keyed by the file name they concern (None: the catalogue as a whole)."""
    errors: dict[str | None, list[ArticleError]] = {}

    def fail(key: str | None, where: Path, reason: str) -> None:
        errors.setdefault(key, []).append(ArticleError(str(where), reason))

    try:
        content = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        fail(None, path, f"catalogue cannot be read ({e.strerror or e}); its metadata is ignored")
        return {}, errors
    except UnicodeDecodeError as e:
        fail(None, path, f"catalogue is not UTF-8 (invalid byte at offset {e.start}); its metadata is ignored")
        return {}, errors
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        fail(None, path, "catalogue is empty; expected header " + ",".join(CATALOGUE_COLUMNS))
        return {}, errors
    except csv.Error as e:
        fail(None, path, f"catalogue header is not valid CSV ({e}); its metadata is ignored")
        return {}, errors
    if "file" not in header:
        fail(None, path, f"catalogue header has no 'file' column, expected {','.join(CATALOGUE_COLUMNS)}; "
             "its metadata is ignored")
        return {}, errors
    if tuple(header) != CATALOGUE_COLUMNS:
        missing = [c for c in CATALOGUE_COLUMNS if c not in header]
        unknown = [c for c in header if c not in CATALOGUE_COLUMNS]
        detail = "; ".join(
            part for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(unknown)}" if unknown else "",
            ) if part
        ) or "columns out of order"
        fail(None, path, f"catalogue header should be {','.join(CATALOGUE_COLUMNS)} ({detail}); "
             "known columns are still used")
    rows: dict[str, CatalogueRow] = {}
    folder = path.parent
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            fail(None, path, f"line {reader.line_num}: not valid CSV ({e}); rest of the catalogue ignored")
            break
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        cells = dict(zip(header, (v.strip() for v in values)))
        name = cells.get("file", "")
        if not name:
            fail("", path, f"line {line}: row has no file name")
            continue
        if Path(name).name != name or not (folder / name).is_file():
            fail(name, path, f"line {line}: names {name}, which is not a file in {folder}")
            continue
        where = folder / name
        if name in rows:
            fail(name, where, f"{CATALOGUE} line {line}: second row for this file ignored "
                 f"(first on line {rows[name].line})")
            continue
        if len(values) > len(header):
            fail(name, where, f"{CATALOGUE} line {line}: {len(values)} fields for {len(header)} columns; "
                 "row ignored, metadata taken from the text")
            rows[name] = CatalogueRow(file=name, line=line)
            continue
        if len(values) < len(header):
            fail(name, where, f"{CATALOGUE} line {line}: {len(values)} fields for {len(header)} columns; "
                 "missing fields left empty")
        published = None
        raw_date = cells.get("published", "")
        if raw_date:
            published = _iso_date(raw_date)
            if published is None:
                fail(name, where, f"{CATALOGUE} line {line}: published {raw_date!r} is not a YYYY-MM-DD date; "
                     "date ignored")
        rows[name] = CatalogueRow(
            file=name,
            title=cells.get("title", ""),
            outlet=cells.get("outlet", ""),
            url=cells.get("url", ""),
            published=published,
            published_note=cells.get("published_note", ""),
            line=line,
        )
    return rows, errors
