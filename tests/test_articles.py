"""Article folders: catalogue metadata, text fallbacks, and bad input reported file by file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rasd.articles import CATALOGUE_COLUMNS, MAX_ARTICLE_BYTES, load_articles, outlet_id, read_catalogue
from rasd.models import Article

ARABIC = "استهدف هجوم بطائرة مسيرة قاعدة عسكرية في محافظة الأنبار غربي العراق فجر اليوم من دون خسائر."
HEADER = ",".join(CATALOGUE_COLUMNS)


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _by_file(articles: list[Article]) -> dict[str, Article]:
    return {a.file: a for a in articles}


BAD_FILES = [
    ("empty", b"", "empty"),
    ("blank-lines", b"\n  \n\t\n", "empty"),
    ("binary", b"\x00\x01\x02" + ARABIC.encode("utf-8"), "binary"),
    ("windows-1256", ARABIC.encode("cp1256"), "not UTF-8"),
    ("latin-1", "Attaque à la roquette près de Bagdad".encode("latin-1"), "not UTF-8"),
    ("english", b"A rocket attack hit a base in western Iraq on Tuesday, officials said.\n", "not Arabic"),
    ("few-arabic", ("Rocket attack report. " * 20 + "قاعدة عين الأسد").encode("utf-8"), "not Arabic"),
    ("too-large", (ARABIC + "\n") * (MAX_ARTICLE_BYTES // len(ARABIC.encode("utf-8")) + 1), "too large"),
]


@pytest.mark.parametrize(("stem", "data", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_gives_one_error_naming_it_and_good_files_still_load(tmp_path, stem, data, reason):
    _write(tmp_path, "good.txt", ARABIC)
    bad = _write(tmp_path, f"{stem}.txt", data)

    result = load_articles([tmp_path])

    assert [a.file for a in result.articles] == ["good.txt"]
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.path == str(bad)
    assert reason in error.reason
    assert f"{stem}.txt" in str(error)
    assert "\n" not in str(error)


def test_missing_path_is_an_error_and_the_other_paths_still_load(tmp_path, seeds_dir):
    missing = tmp_path / "nowhere"
    result = load_articles([missing, seeds_dir])

    assert len(result.articles) == 5
    assert [e.path for e in result.errors] == [str(missing)]
    assert "no such file" in result.errors[0].reason


def test_bom_and_crlf_are_read_as_plain_text(tmp_path):
    _write(tmp_path, "bom.txt", "\ufeff" + "العنوان الأول\r\n\r\n" + ARABIC + "\r\n")
    _write(tmp_path, "articles.csv", "\ufeff" + HEADER + "\r\nbom.txt,,Some Outlet,,2023-02-01,\r\n")

    result = load_articles([tmp_path])

    assert result.errors == []
    (article,) = result.articles
    assert "\r" not in article.text and "\ufeff" not in article.text
    assert article.text.startswith("العنوان الأول\n\n")
    assert article.title == "العنوان الأول"
    assert article.outlet == "Some Outlet"
    assert article.published == date(2023, 2, 1)


def test_catalogue_metadata_is_applied(seeds_dir):
    result = load_articles([seeds_dir])

    assert result.errors == []
    rows, errors = read_catalogue(seeds_dir / "articles.csv")
    assert errors == []
    articles = _by_file(result.articles)
    assert set(articles) == set(rows)
    for name, row in rows.items():
        article = articles[name]
        assert article.outlet == row.outlet
        assert article.published == row.published
        assert article.published_note == row.published_note
        assert article.title == (row.title or article.text.strip().splitlines()[0].strip())
    dated = [a for a in result.articles if a.published]
    assert dated and all(isinstance(a.published, date) for a in dated)


def test_title_comes_from_the_first_non_empty_line_without_a_row(tmp_path):
    _write(tmp_path, "untitled.txt", "\n\n   عنوان الخبر هنا  \n" + ARABIC)

    (article,) = load_articles([tmp_path]).articles

    assert article.title == "عنوان الخبر هنا"
    assert (article.outlet, article.url, article.published, article.published_note) == ("", "", None, "")


def test_single_file_uses_the_catalogue_of_its_folder(tmp_path):
    path = _write(tmp_path, "one.txt", ARABIC)
    _write(tmp_path, "two.txt", ARABIC)
    _write(tmp_path, "articles.csv", f"{HEADER}\none.txt,عنوان,Outlet One,https://example.org/1,2021-12-31,note\n"
                                     "two.txt,,,,not-a-date,\nghost.txt,,,,,\n")

    result = load_articles([path])

    assert result.errors == []  # the rows of two.txt and ghost.txt are not this load's concern
    (article,) = result.articles
    assert (article.title, article.outlet, article.url, article.published, article.published_note) == (
        "عنوان", "Outlet One", "https://example.org/1", date(2021, 12, 31), "note"
    )


MALFORMED_ROWS = [
    ("bad-date", "a.txt,عنوان,Outlet A,,2022-13-40,kept note\n", "a.txt", "not a YYYY-MM-DD"),
    ("week-date", "a.txt,عنوان,Outlet A,,2022-W01-1,kept note\n", "a.txt", "not a YYYY-MM-DD"),
    ("missing-file", "ghost.txt,عنوان,,,,\n", "ghost.txt", "not a file"),
    ("too-many-fields", "a.txt,عنوان,Outlet A,,,,extra\n", "a.txt", "fields"),
    ("no-file-name", ",عنوان,Outlet A,,,\n", "line 2", "no file name"),
]


@pytest.mark.parametrize(("case", "row", "named", "reason"), MALFORMED_ROWS, ids=[m[0] for m in MALFORMED_ROWS])
def test_malformed_row_is_reported_and_the_articles_still_load(tmp_path, case, row, named, reason):
    _write(tmp_path, "a.txt", "عنوان من النص\n" + ARABIC)
    _write(tmp_path, "b.txt", ARABIC)
    _write(tmp_path, "articles.csv", f"{HEADER}\n{row}b.txt,عنوان ب,Outlet B,,2020-01-02,\n")

    result = load_articles([tmp_path])

    assert sorted(a.file for a in result.articles) == ["a.txt", "b.txt"]
    assert len(result.errors) == 1
    assert named in str(result.errors[0]) and reason in result.errors[0].reason
    b = _by_file(result.articles)["b.txt"]
    assert (b.title, b.outlet, b.published) == ("عنوان ب", "Outlet B", date(2020, 1, 2))


def test_bad_date_row_keeps_the_metadata_it_can_trust(tmp_path):
    _write(tmp_path, "a.txt", ARABIC)
    _write(tmp_path, "articles.csv", f"{HEADER}\na.txt,عنوان,Outlet A,https://x.example/a,05/01/2022,a note\n")

    result = load_articles([tmp_path])

    (article,) = result.articles
    assert (article.title, article.outlet, article.url, article.published, article.published_note) == (
        "عنوان", "Outlet A", "https://x.example/a", None, "a note"
    )
    assert len(result.errors) == 1 and "a.txt" in str(result.errors[0])


def test_too_many_fields_falls_back_to_the_text(tmp_path):
    _write(tmp_path, "a.txt", "عنوان من النص\n" + ARABIC)
    _write(tmp_path, "articles.csv", f"{HEADER}\na.txt,عنوان,Outlet A,,,,extra\n")

    (article,) = load_articles([tmp_path]).articles

    assert (article.title, article.outlet) == ("عنوان من النص", "")


@pytest.mark.parametrize(
    ("header", "reason", "outlet"),
    [
        ("name,title,outlet", "no 'file' column", ""),
        ("file,title,source,url,published,published_note", "missing outlet", ""),
        ("file,outlet,title,url,published,published_note", "out of order", "Outlet A"),
    ],
)
def test_wrong_header_is_one_error_naming_the_catalogue(tmp_path, header, reason, outlet):
    _write(tmp_path, "a.txt", "عنوان من النص\n" + ARABIC)
    catalogue = _write(tmp_path, "articles.csv", f"{header}\na.txt,Outlet A,عنوان,,,\n"
                       if header.startswith("file,outlet") else f"{header}\na.txt,عنوان,Outlet A,,,\n")

    result = load_articles([tmp_path])

    (article,) = result.articles
    assert article.outlet == outlet
    assert len(result.errors) == 1
    assert result.errors[0].path == str(catalogue) and reason in result.errors[0].reason


def test_catalogue_errors_are_reported_once_for_several_single_files(tmp_path):
    paths = [_write(tmp_path, name, ARABIC) for name in ("a.txt", "b.txt")]
    catalogue = _write(tmp_path, "articles.csv", "file,title,outlet\na.txt,عنوان,Outlet A\n")

    result = load_articles(paths)

    assert [a.file for a in result.articles] == ["a.txt", "b.txt"]
    assert result.articles[0].outlet == "Outlet A"
    assert [e.path for e in result.errors] == [str(catalogue)]


def test_non_utf8_catalogue_is_ignored_with_one_error(tmp_path):
    _write(tmp_path, "a.txt", "عنوان من النص\n" + ARABIC)
    catalogue = _write(tmp_path, "articles.csv", f"{HEADER}\na.txt,عنوان,,,,\n".encode("cp1256"))

    result = load_articles([tmp_path])

    (article,) = result.articles
    assert article.title == "عنوان من النص"
    assert [e.path for e in result.errors] == [str(catalogue)]


def test_same_file_name_from_two_folders_is_loaded_once(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    _write(first, "a.txt", ARABIC)
    _write(second, "a.txt", ARABIC + " نص آخر")

    result = load_articles([first, second, first / "a.txt"])

    assert [a.file for a in result.articles] == ["a.txt"]
    assert result.articles[0].text == ARABIC
    assert [e.path for e in result.errors] == [str(second / "a.txt")]


def test_folder_without_articles_and_non_txt_file_are_errors(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    other = _write(tmp_path, "notes.md", ARABIC)

    result = load_articles([empty, other])

    assert result.articles == []
    assert [e.path for e in result.errors] == [str(empty), str(other)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Al-Araby Al-Jadeed", "al-araby-al-jadeed"), ("Al Mayadeen", "al-mayadeen"), ("", "")],
)
def test_outlet_id_is_the_slug(name, expected):
    assert outlet_id(name) == expected
