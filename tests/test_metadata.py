"""Metadata: curated sidecar first, careful extraction second; a wrong date is worse than none."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from embeddings.cleaning import clean_article
from embeddings.metadata import ArticleMeta, article_metadata, extract_metadata, load_sidecar

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

TITLES = {
    "000_4e0ddd56fe88a339": "Putin dan Xi Mengutuk Serangan Israel di Iran sebagai Pelanggaran Piagam PBB",
    "001_4e346f3bddcb4942": "Putin: Aliansi Rusia dan China sebagai Faktor Stabilitas Global",
    "002_b3f9beaf9b0610d6": "Kremlin Flexing Hubungan dengan China",
    "003_5f9adbd90754c8a2": "Putin, Xi Sambut Ikatan ‘Kekuatan Besar’ untuk Pembicaraan Menentang Barat",
    "004_7072c18476457dd8": "Xi Jinping dan Putin Bersinergi Lawan Pengaruh AS",
}
#: stem -> (outlet, date, basis) curated in seeds/sources.toml
CURATED = {
    "000_4e0ddd56fe88a339": ("Gate", "2025-06-19", "event"),
    "001_4e346f3bddcb4942": ("QNews", "2026-02-04", "event"),
    "002_b3f9beaf9b0610d6": ("IVOOX.id", "2023-02-22", "event"),
    "003_5f9adbd90754c8a2": (None, "2022-09-15", "event"),
    "004_7072c18476457dd8": ("NTVNews (ntvnews.id)", "2025-05-10", "published"),
}
#: stem -> (outlet, date, basis) found by extraction alone (no sidecar)
EXTRACTED = {
    "000_4e0ddd56fe88a339": (None, None, None),  # "Gate" only in the disclaimer; no dated lede
    "001_4e346f3bddcb4942": ("QNews", "2026-02-04", "event"),  # Site icon QNews; Rabu (4/2/2026)
    "002_b3f9beaf9b0610d6": ("IVOOX.id", None, None),  # dateline; the text only says "hari Rabu"
    "003_5f9adbd90754c8a2": (None, None, None),  # spam mirror; "hari Kamis" only
    "004_7072c18476457dd8": ("Ntvnews.id", "2025-05-10", "published"),  # dateline; header stamp
}


def _seed(stem: str) -> tuple[str, object]:
    raw = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
    return raw, clean_article(raw)


@pytest.fixture(scope="module")
def sidecar() -> dict[str, dict]:
    return load_sidecar(SEEDS)


def test_sidecar_covers_every_seed(sidecar):
    assert sorted(sidecar) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert all(entry.get("note") for entry in sidecar.values())
    assert sidecar["003_5f9adbd90754c8a2"]["outlet"] is None  # curated as unknown, not absent


@pytest.mark.parametrize("stem", sorted(CURATED))
def test_metadata_through_sidecar(sidecar, stem):
    raw, cleaned = _seed(stem)
    outlet, date, basis = CURATED[stem]
    assert article_metadata(stem, cleaned, sidecar) == ArticleMeta(
        outlet, date, basis, TITLES[stem], "sidecar"
    )


@pytest.mark.parametrize("stem", sorted(EXTRACTED))
def test_extraction_alone(stem):
    raw, cleaned = _seed(stem)
    outlet, date, basis = EXTRACTED[stem]
    expected = ArticleMeta(outlet, date, basis, TITLES[stem], "extracted")
    assert article_metadata(stem, cleaned, {}) == expected
    assert extract_metadata(cleaned) == expected


def test_004_never_takes_the_sidebar_date():
    raw, cleaned = _seed("004_7072c18476457dd8")
    assert "16 Jun 2025" in raw
    assert extract_metadata(cleaned).date == "2025-05-10"
    no_header = "\n".join(line for line in raw.split("\n") if not line.startswith("NTVNews -"))
    assert extract_metadata(clean_article(no_header)).date == "2025-05-10"  # Sabtu, 10 Mei 2025
    # without the header stamp and the lead's date, nothing is left but the sidebar: no date
    bare = no_header.replace("Sabtu, 10 Mei 2025, ", "")
    meta = extract_metadata(clean_article(bare))
    assert (meta.date, meta.date_basis) == (None, None)


def test_sidecar_outlet_false_is_not_filled_by_extraction():
    raw, cleaned = _seed("004_7072c18476457dd8")
    meta = article_metadata("x", cleaned, {"x": {"outlet": None}})
    assert meta == ArticleMeta(
        None, "2025-05-10", "published", TITLES["004_7072c18476457dd8"], "sidecar+extracted"
    )


def test_sidecar_wins_field_by_field():
    raw, cleaned = _seed("001_4e346f3bddcb4942")
    meta = article_metadata("x", cleaned, {"x": {"date": "2026-02-05", "date_basis": "published"}})
    assert (meta.outlet, meta.date, meta.date_basis, meta.source) == (
        "QNews",
        "2026-02-05",
        "published",
        "sidecar+extracted",
    )
    titled = article_metadata("x", cleaned, {"x": {"title": "Judul Kurasi"}})
    assert (titled.title, titled.outlet, titled.date, titled.source) == ("Judul Kurasi", "QNews", "2026-02-04",
                                                                         "extracted")  # no curated fact of the three
    noted = article_metadata("x", cleaned, {"x": {"note": "diperiksa"}})
    assert noted == extract_metadata(cleaned) and noted.source == "extracted"


# ---------------------------------------------------------------- load_sidecar


def test_load_sidecar_absent(tmp_path):
    assert load_sidecar(tmp_path) == {}


def test_load_sidecar_broken_toml_names_the_file(tmp_path):
    (tmp_path / "sources.toml").write_text('[a\noutlet = "x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="sources.toml"):
        load_sidecar(tmp_path)


@pytest.mark.parametrize(
    "body",
    [
        'date = "2026-02-31"\ndate_basis = "event"',
        'date = "2026-02-04"',  # a date needs its basis
        'date = "2026-02-04"\ndate_basis = "guess"',
        'outlett = "typo"',
        "outlet = true",
        "[a.b]\nc = 1",
    ],
)
def test_load_sidecar_invalid_entries(tmp_path, body):
    (tmp_path / "sources.toml").write_text(f"[a]\n{body}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sources.toml"):
        load_sidecar(tmp_path)


def test_load_sidecar_accepts_toml_dates_and_false(tmp_path):
    (tmp_path / "sources.toml").write_text(
        '[a]\noutlet = false\ndate = 2024-03-01\ndate_basis = "event"\n[b]\ndate = false\n', encoding="utf-8"
    )
    assert load_sidecar(tmp_path) == {
        "a": {"outlet": None, "date": "2024-03-01", "date_basis": "event"},
        "b": {"date": None},
    }


# ---------------------------------------------------------------- synthetic extraction

P1 = (
    "Presiden mengatakan bahwa pemerintah akan terus bekerja sama dengan semua pihak untuk menjaga "
    "stabilitas dan keamanan di kawasan itu, kata dia kepada wartawan di Jakarta, sambil menegaskan "
    "bahwa hubungan kedua negara tetap kuat dan tidak akan berubah."
)
P2 = (
    "Menurut dia, kerja sama yang sudah berjalan selama ini akan diperluas ke bidang ekonomi dan "
    "pertahanan, termasuk latihan militer bersama yang direncanakan pada tahun depan di wilayah timur, "
    "yang menurut para pejabat akan menjadi yang terbesar dalam sejarah."
)


def _meta(*lines: str) -> ArticleMeta:
    text = "\n".join(lines)
    return extract_metadata(clean_article(text))


def test_sidebar_only_date_is_ignored():
    meta = _meta("Judul Berita Hari Ini", P1, P2, "TERKINI", "Judul Lain di Sidebar",
                 "Luar Negeri Senin, 16 Jun 2025 | 07:30 WIB", "Load More")  # fmt: skip
    assert (meta.date, meta.date_basis) == (None, None)


TITLE = "Putin dan Modi Bahas Kerja Sama Energi di New Delhi"
LISTING = ["Harga Minyak Dunia Naik Tajam Pekan Ini", "Luar Negeri Senin, 16 Jun 2025 | 07:30 WIB",
           "Banjir Melanda Sejumlah Wilayah Jakarta", "Nasional Selasa, 17 Jun 2025 | 08:15 WIB"]
THIRD = ["Timnas Menang Besar di Laga Persahabatan", "Olahraga Rabu, 18 Jun 2025 | 08:15 WIB"]


STAMP = "Internasional Kamis, 19 Jun 2025 | 09:15 WIB"


@pytest.mark.parametrize(("header", "title", "date"), [
    (["TERKINI", *LISTING, "Load More", TITLE], TITLE, None),  # a labelled listing above the title
    (["Berita Terbaru", *LISTING, "Load More", TITLE, STAMP], TITLE, "2025-06-19"),
    (["Berita Terkini", TITLE, STAMP], TITLE, "2025-06-19"),  # a label-like category line, one pair
    ([TITLE, STAMP, "TERKINI", *LISTING, *THIRD], TITLE, "2025-06-19"),  # the title, then a sidebar
])
def test_a_labelled_listing_gives_no_title_and_no_date(header: list[str], title: str, date: str | None):
    """Its headlines are not the title, its stamps not the date."""
    meta = _meta(*header, P1, P2)
    assert (meta.title, meta.date, meta.date_basis) == (title, date, "published" if date else None)


@pytest.mark.parametrize("header", [
    [*LISTING, *THIRD, TITLE],
    [*LISTING, TITLE, STAMP],
    ["Berita Terbaru", *LISTING, TITLE, STAMP],  # where the labelled listing ends cannot be told
    [TITLE, STAMP, *LISTING, *THIRD],
])
def test_unlabelled_dated_headlines_of_different_days_leave_title_and_date_unknown(header: list[str]):
    """Which headline is the article's cannot be told: a wrong title or date is worse than none."""
    meta = _meta(*header, P1, P2)
    assert (meta.title, meta.date, meta.date_basis) == (None, None, None)


@pytest.mark.parametrize("header", [
    [TITLE, STAMP],
    ["Home > Internasional > Asia Pasifik", TITLE, STAMP],  # a breadcrumb is no title
    ["Beranda » Dunia", TITLE, STAMP],
    [TITLE, "Kamis, 19 Juni 2025 | 09:15 WIB", "Reporter Andi Saputra dan Editor Budi Santoso",
     "Diperbarui Jumat, 20 Juni 2025 | 10:20 WIB"],  # byline + "updated" stamp
    [TITLE, "Kamis, 19 Juni 2025 | 09:15 WIB", "Reporter Andi Saputra dan Editor Budi Santoso",
     "Kamis, 19 Juni 2025 | 10:20 WIB"],  # two dated lines of one day
    [TITLE, "19 Juni 2025, 09:15 WIB", "Presiden Rusia Vladimir Putin di Kremlin", "Foto: AFP 18/6/2025 21.40"],
])
def test_the_articles_own_header_is_not_a_listing(header: list[str]):
    meta = _meta(*header, P1, P2)
    assert (meta.title, meta.date, meta.date_basis) == (TITLE, "2025-06-19", "published")


def test_a_date_in_the_title_is_not_the_publication_date():
    meta = _meta("KTT 15 Juni 2024: Putin dan Xi Bertemu Lagi", P1, P2)
    assert (meta.title, meta.date) == ("KTT 15 Juni 2024: Putin dan Xi Bertemu Lagi", None)


def test_invalid_date_gives_none():
    meta = _meta(
        "Judul Berita Hari Ini", P1.replace("di Jakarta,", "di Jakarta pada Selasa (31/2/2026),"), P2
    )
    assert (meta.date, meta.date_basis) == (None, None)


def test_event_date_in_lead_with_weekday():
    meta = _meta("Judul Berita Hari Ini", P1.replace("di Jakarta,", "di Jakarta pada Rabu (4/2/2026),"), P2)
    assert (meta.date, meta.date_basis) == ("2026-02-04", "event")


def test_wrong_weekday_gives_none():
    meta = _meta("Judul Berita Hari Ini", P1.replace("di Jakarta,", "di Jakarta pada Senin (4/2/2026),"), P2)
    assert meta.date is None


def test_lead_date_without_weekday_is_not_taken():
    meta = _meta("Judul Berita Hari Ini", P1.replace("di Jakarta,", "di Jakarta sejak 24 Februari 2022,"), P2)
    assert meta.date is None


@pytest.mark.parametrize(
    ("stamp", "iso"),
    [
        ("Published: June 19, 2025, 10:15", "2025-06-19"),
        ("Thursday, 19 June 2025 | 10:15 WIB", "2025-06-19"),
        ("Kamis, 19 Juni 2025 10:15 WIB", "2025-06-19"),
        ("Senin, 16 Jun 2025 | 07:30 WIB", "2025-06-16"),
        ("Jum'at, 20 Jun. 2025", "2025-06-20"),
        ("Sep 2, 2024", "2024-09-02"),
        ("Diterbitkan 2025-05-10", "2025-05-10"),
    ],
)
def test_header_dates_are_published(stamp, iso):
    meta = _meta("Judul Berita Hari Ini", stamp, P1, P2)
    assert (meta.date, meta.date_basis) == (iso, "published")


def test_english_event_date_in_lead():
    meta = _meta(
        "Judul Berita Hari Ini", P1.replace("di Jakarta,", "di Jakarta on Thursday, June 19, 2025,"), P2
    )
    assert (meta.date, meta.date_basis) == ("2025-06-19", "event")


@pytest.mark.parametrize("stamp", ["10 Mei 1985", "10 Mei 2150", "32 Mei 2025", "Senin, 10 Mei 2025",
                                   "16 MEİ 2025, 09:59", "SENİN, 16 Jun 2025 | 07:30 WIB"])
def test_implausible_header_dates_give_none(stamp):
    # 10 Mei 2025 was a Saturday; "MEİ"/"SENİN" (Turkish dotted İ) match the pattern but name no month/day
    meta = _meta("Judul Berita Hari Ini", stamp, P1, P2)
    assert (meta.date, meta.date_basis) == (None, None)


@pytest.mark.parametrize(
    ("lede", "outlet"),
    [
        ("IVOOX.id, Moscow - ", "IVOOX.id"),
        ("JAKARTA, KOMPAS.com - ", "KOMPAS.com"),
        ("Jakarta (ANTARA) - ", "ANTARA"),
        ("MOSCOW, March 21 (Reuters) - ", "Reuters"),
        ("MOSCOW/BEIJING, Jan 21 (Reuters) - ", "Reuters"),
        ("BEIJING, July 13. /TASS/. ", "TASS"),
        ("TRIBUNNEWS.COM - ", "TRIBUNNEWS.COM"),
        ("Jakarta, CNN Indonesia -- ", "CNN Indonesia"),
        ("Sementara itu, Kremlin - ", None),
        ("Sementara itu, KPK — lembaga antirasuah itu — ", None),
        ("Di sisi lain, DPR - melalui Komisi I - ", None),
        ("Meanwhile, NATO - the Western military alliance - ", None),
        ("Amazon.com - the world's largest online retailer - ", None),
        ("Presiden Joko Widodo (Jokowi) - yang ", None),
        ("Namun, pihak Kyiv - ", None),
        # an outlet's name with no domain: it must name a news medium
        ("Warta Ekonomi, Jakarta - ", "Warta Ekonomi"),
        ("Media Indonesia, Jakarta - ", "Media Indonesia"),
        ("WARTA EKONOMI, Jakarta – ", "WARTA EKONOMI"),
        ("The Jakarta Post, Jakarta - ", "The Jakarta Post"),
        ("Presiden Putin, Moskow - ", None),  # a person's title and name
        ("Vladimir Putin, Moskow - ", None),
        ("Ulan Bator, Mongolia - ", None),  # a place
        ("Berita Terkini, Jakarta - ", None),  # a news word made generic
        ("Media Sosial, Jakarta - ", None),
        ("Warta Ekonomi, Jakarta - kata ", None),  # no story starts after the dash
        ("Warta Ekonomi Online Terbaru, Jakarta - ", None),  # four words: no dateline's name
    ],
)
def test_outlet_from_dateline(lede, outlet):
    assert _meta("Judul Berita Hari Ini", lede + P1, P2).outlet == outlet


def test_a_named_dateline_counts_only_in_the_first_paragraph():
    """A domain or an agency names an outlet in the lead's first three paragraphs; a name alone only
    where a dateline stands: lower, "Media Indonesia, Jakarta - …" may be a quote or a list."""
    assert _meta("Judul Berita Hari Ini", P1, "Warta Ekonomi, Jakarta - " + P2).outlet is None
    assert _meta("Judul Berita Hari Ini", P1, "IVOOX.id, Moscow - " + P2).outlet == "IVOOX.id"


def test_the_user_audit_s_named_dateline_page_names_its_outlet():
    page = Path(__file__).parent / "data" / "review" / "named_dateline.txt"
    meta = extract_metadata(clean_article(page.read_text(encoding="utf-8")))
    assert (meta.outlet, meta.date, meta.date_basis) == ("Warta Ekonomi", "2025-09-04", "published")


@pytest.mark.parametrize(("text", "rest"), [
    ("Warta Ekonomi, Jakarta - Raksasa energi Rusia Gazprom.", "Raksasa energi Rusia Gazprom."),
    ("Presiden Putin, Moskow - Kremlin menyatakan.", None),
])
def test_a_copy_without_a_named_dateline_is_the_same_lede(text: str, rest: str | None):
    from embeddings.metadata import without_dateline

    assert without_dateline(text) == rest


def test_outlet_from_site_icon_and_not_from_trailing_chrome():
    assert _meta("Site icon QNews", "Judul Berita Hari Ini", P1, P2).outlet == "QNews"
    assert _meta("Judul Berita Hari Ini", P1, P2, "Site icon QNews").outlet is None


def test_title_is_the_cleaned_title():
    assert _meta("Judul Berita Hari Ini", P1, P2).title == "Judul Berita Hari Ini"
    assert _meta("").title is None


def test_broken_header_date_falls_back_to_a_checked_lead_date():
    lede = P1.replace("di Jakarta,", "di Jakarta pada Rabu (4/2/2026),")
    meta = _meta("Judul Berita Hari Ini", "Senin, 10 Mei 2025", lede, P2)  # wrong weekday in the header
    assert (meta.date, meta.date_basis) == ("2026-02-04", "event")


@pytest.mark.parametrize(("stamp", "iso"), [("22 Oktober 2024", "2024-10-22"),
                                           ("Selasa, 2 September 2025 | 19:48", "2025-09-02")])
def test_a_stamp_under_a_deck_is_the_publication_date(stamp: str, iso: str):
    """A deck (standfirst) kept as the first paragraph puts the page's stamp inside the body."""
    meta = _meta("Judul Berita Hari Ini", P1, stamp, P2)
    assert (meta.date, meta.date_basis) == (iso, "published")


def test_another_article_s_dated_headline_under_the_first_paragraph_is_no_stamp():
    assert _meta("Judul Berita Hari Ini", P1, "Putin Kunjungi Beijing Pekan Depan 12 Maret 2025", P2).date is None


@pytest.mark.parametrize("stamp", ["Updated 09/01/2025, 6:12 PM EDT", "Published 3/4/2025 10:15 AM",
                                   "09/01/2025 18:12 EDT", "Issued on: 09/01/2025 - 6:12 PM EDT"])
def test_a_us_ordered_stamp_gives_no_date(stamp: str):
    """Day/month is read from "01/09/2025, 06:12 WIB"; a 12-hour or US-zoned stamp is month/day."""
    assert _meta("Judul Berita Hari Ini", stamp, P1, P2).date is None


@pytest.mark.parametrize(("stamp", "iso"), [
    ("Issued on: 02/09/2025 - 12:04 Modified: 02/09/2025 - 16:27", "2025-09-02"),  # France 24
    ("2024.07.25", "2024-07-25"),  # Radio Free Asia: year first
])
def test_more_stamp_forms_are_read(stamp: str, iso: str):
    assert _meta("Judul Berita Hari Ini", stamp, P1, P2).date == iso


def test_a_related_article_s_stamp_under_the_first_paragraph_is_not_the_date():
    meta = _meta("Judul Berita Hari Ini", P1, "Baca Juga", "Harga Emas Antam Turun Lagi Hari Ini",
                 "Senin, 13 Mei 2024", P2)
    assert meta.date is None


def test_a_short_title_over_its_stamp_keeps_both():
    meta = _meta("Harga Emas Anjlok", "Senin, 13 Mei 2024", P1, P2)
    assert (meta.title, meta.date, meta.date_basis) == ("Harga Emas Anjlok", "2024-05-13", "published")


def test_a_date_in_a_dropped_deck_is_not_the_publication_date():
    """A deck between the headline and its stamp is chrome now, in the header: its event date
    ("Selasa (1/4/2025)") must not be read as the page's."""
    deck = "Kremlin menyebut latihan militer Cina pada Selasa (1/4/2025) sebagai hak kedaulatan Beijing."
    meta = _meta("Rusia Sebut Latihan Militer Cina Hak Kedaulatan Beijing", deck, "Rabu, 2 April 2025 | 18.05 WIB",
                 P1, P2)
    assert (meta.date, meta.date_basis) == ("2025-04-02", "published")


def test_load_sidecar_reports_every_problem_at_once(tmp_path):
    """Two mistakes in one entry and one in another: one error names all three, so the admin fixes
    them in one go instead of one re-run per mistake."""
    (tmp_path / "sources.toml").write_text(
        '[905_cnbc]\noutlte = "CNBC Indonesia"\ndate = "11/03/2025"\ndate_basis = "published"\n\n'
        '[906_ok]\noutlet = "Gate"\n\n[907_kompas]\ndate = "2025-03-11"\n', encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_sidecar(tmp_path)
    assert str(error.value) == (
        f"{tmp_path / 'sources.toml'}: 3 problems: "
        "[905_cnbc] unknown field(s) ['outlte'] (allowed: outlet, date, date_basis, title, note); "
        "[905_cnbc] date must be YYYY-MM-DD (a real date in 1990..2100) or false, not '11/03/2025'; "
        "[907_kompas] a curated date needs date_basis")


def test_load_sidecar_keys_are_composed_unicode(tmp_path):
    """A key typed decomposed (NFD) is the composed (NFC) one: seed file names are matched in NFC. The
    same key in both forms is two entries for one article: an error."""
    composed = "905_café"
    decomposed = unicodedata.normalize("NFD", composed)
    (tmp_path / "sources.toml").write_text(f'["{decomposed}"]\noutlet = "Gate"\n', encoding="utf-8")
    assert load_sidecar(tmp_path) == {composed: {"outlet": "Gate"}}
    (tmp_path / "sources.toml").write_text(f'["{decomposed}"]\noutlet = "Gate"\n["{composed}"]\noutlet = "QNews"\n',
                                           encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[905_café\] is another entry's key written in another Unicode form"):
        load_sidecar(tmp_path)
