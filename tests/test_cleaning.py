"""Cleaning: only article prose is kept, verbatim, with its title and section headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.chrome import RULES
from embeddings.cleaning import (
    KINDS,
    CleanedArticle,
    clean_article,
    content_hash,
    explain,
    normalize_text,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

S000 = (
    None,
    "Front Bersatu Melawan Eskalasi Militer",
    "Rusia Menawarkan Mediasi, China untuk Mengoordinasikan Upaya",
    "KTT G7 dan Konflik Ukraina Juga Dibahas",
    "Pertemuan September di China Dikonfirmasi",
)
S001 = (None, "Kemitraan Strategis dan Kerja Sama Ekonomi", "Konteks Diplomasi Internasional")
S003 = (None, "‘Alternatif’ untuk Wes", "Hubungan ‘tanpa batas’")

#: file stem -> (title, [(line number of a kept paragraph, its section), ...]) -- the exact kept set.
EXPECTED: dict[str, tuple[str, list[tuple[int, str | None]]]] = {
    "000_4e0ddd56fe88a339": (
        "Putin dan Xi Mengutuk Serangan Israel di Iran sebagai Pelanggaran Piagam PBB",
        [(1, S000[0]), (3, S000[1]), (4, S000[1]), (6, S000[2]), (7, S000[2]),
         (9, S000[3]), (10, S000[3]), (12, S000[4]), (13, S000[4])],
    ),
    "001_4e346f3bddcb4942": (
        "Putin: Aliansi Rusia dan China sebagai Faktor Stabilitas Global",
        [(7, S001[0]), (9, S001[0]), (11, S001[0]), (15, S001[1]), (17, S001[1]), (19, S001[1]),
         (21, S001[1]), (25, S001[2]), (27, S001[2]), (29, S001[2]), (31, S001[2])],
    ),
    "002_b3f9beaf9b0610d6": (
        "Kremlin Flexing Hubungan dengan China",
        [(n, None) for n in range(2, 17)],
    ),
    "003_5f9adbd90754c8a2": (
        "Putin, Xi Sambut Ikatan ‘Kekuatan Besar’ untuk Pembicaraan Menentang Barat",
        [(n, S003[0]) for n in range(3, 20, 2)]
        + [(n, S003[1]) for n in range(23, 46, 2)]
        + [(n, S003[2]) for n in range(49, 64, 2)],
    ),
    "004_7072c18476457dd8": (
        "Xi Jinping dan Putin Bersinergi Lawan Pengaruh AS",
        [(n, None) for n in (13, 15, 17, 19, 23, 25, 27, 31, 33)],
    ),
}  # fmt: skip
EXPECTED_HEADINGS = {
    "000_4e0ddd56fe88a339": list(S000[1:]),
    "001_4e346f3bddcb4942": list(S001[1:]),
    "002_b3f9beaf9b0610d6": [],
    "003_5f9adbd90754c8a2": list(S003[1:]),
    "004_7072c18476457dd8": [],
}

#: Lines that must never be kept (matched as the whole stripped line, or as its start with "...").
BOILERPLATE = {
    "000_4e0ddd56fe88a339": ["Lihat Asli", "Halaman ini mungkin berisi konten pihak ketiga..."],
    "001_4e346f3bddcb4942": ["Site icon QNews", "Exit mobile version", "➡️ Baca Juga..."],
    "002_b3f9beaf9b0610d6": [
        "Berhasil Login.....", "Gagal Login", "Komentar", "Edit Komentar", "Hapus Komentar",
        "Anda yakin ingin menghapus komentar ?",
    ],
    "003_5f9adbd90754c8a2": ["Keluaran Sidney", "By gacor88"],
    "004_7072c18476457dd8": [
        "NTVNews - Berita Hari Ini, Terbaru dan Viral - 10 Mei 2025, 09:59", "thumbnail-author",
        "Deddy Setiawan", "Penulis", "Siti Ruqoyah", "Editor", "Bagikan", "Baca Juga...", "TERKINI",
        "Telat ke Bandara, Penumpang Air India Beberkan Kisahnya",
        "China Telepon Menlu Israel dan Iran, Ini yang Dibicarakan",
        "Israel Tutup Seluruh Kantor Keduataan di Seluruh Dunia",
        "Donald Trump Minta Tak Dilibatkan dalam Serangan Israel ke Iran",
        "Putin dan Trump Kompak Sepakat Perang Iran-Israel Harus Diakhiri",
        "Diserang Israel, Iran Hentikan Semua Penerbangan",
        "Luar Negeri Senin...", "Load More", "x|close",
        "Presiden China Xi Jinping dan Presiden Rusia Vladimir Putin bertemu secara virtual...",  # caption
    ],
}  # fmt: skip


def _raw(stem: str) -> str:
    return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


def _matches(line: str, pattern: str) -> bool:
    return line.startswith(pattern[:-3]) if pattern.endswith("...") else line == pattern


@pytest.fixture(scope="module")
def corpus() -> dict[str, CleanedArticle]:
    """All seeds cleaned in sorted file order with one shared corpus-wide ``seen_hashes``."""
    seen: set[str] = set()
    return {p.stem: clean_article(p.read_text(encoding="utf-8"), seen) for p in sorted(SEEDS.glob("*.txt"))}


def test_seed_set_is_the_expected_one(corpus):
    assert sorted(corpus) == sorted(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_exact_kept_paragraphs_title_and_sections(corpus, stem):
    title, kept = EXPECTED[stem]
    cleaned = corpus[stem]
    lines = _raw(stem).split("\n")
    assert cleaned.title == title
    assert [(p.line_no, p.section) for p in cleaned.paragraphs] == kept
    assert [p.text for p in cleaned.paragraphs] == [lines[n - 1].strip() for n, _ in kept]
    assert [p.position for p in cleaned.paragraphs] == list(range(len(kept)))
    assert cleaned.headings == EXPECTED_HEADINGS[stem]


def test_paragraph_counts(corpus):
    assert {s: len(c.paragraphs) for s, c in corpus.items()} == {
        "000_4e0ddd56fe88a339": 9,
        "001_4e346f3bddcb4942": 11,
        "002_b3f9beaf9b0610d6": 15,
        "003_5f9adbd90754c8a2": 29,
        "004_7072c18476457dd8": 9,
    }


@pytest.mark.parametrize("stem", sorted(BOILERPLATE))
def test_boilerplate_is_dropped(corpus, stem):
    cleaned = corpus[stem]
    kept_text = {p.text for p in cleaned.paragraphs} | set(cleaned.headings) | {cleaned.title}
    kept_text |= {p.section for p in cleaned.paragraphs if p.section}
    for pattern in BOILERPLATE[stem]:
        hits = [d for d in cleaned.decisions if _matches(d.text, pattern)]
        assert hits, f"{pattern!r} not found in {stem}"
        assert all(not d.keep and d.kind in ("boilerplate", "duplicate") for d in hits), pattern
        assert not any(_matches(t, pattern) for t in kept_text), pattern


def test_verbatim_every_kept_text_is_an_exact_line(corpus):
    for stem, cleaned in corpus.items():
        lines = _raw(stem).split("\n")
        for p in cleaned.paragraphs:
            assert p.text == lines[p.line_no - 1].strip()
            assert p.text in _raw(stem)
            assert p.content_hash == content_hash(p.text)
        assert cleaned.title is None or cleaned.title in (line.strip() for line in lines)
        assert all(h in (line.strip() for line in lines) for h in cleaned.headings)


def test_no_duplicates_corpus_wide(corpus):
    hashes = [p.content_hash for c in corpus.values() for p in c.paragraphs]
    assert len(hashes) == len(set(hashes)) == 73
    for cleaned in corpus.values():
        assert len(cleaned.headings) == len(set(map(normalize_text, cleaned.headings)))


def test_000_repeated_copy_leaves_no_duplicate(corpus):
    cleaned = corpus["000_4e0ddd56fe88a339"]
    by_line = {d.line_no: d for d in cleaned.decisions}
    assert by_line[16].kind == "title" and by_line[16].keep
    for n in range(17, 30):  # the second copy: paragraphs and headings alike
        assert by_line[n].kind == "duplicate" and not by_line[n].keep, n
    assert by_line[17].reason == "duplicate of line 1"
    assert by_line[18].reason == "duplicate of heading (line 2)"
    assert all(p.line_no <= 13 for p in cleaned.paragraphs)


def test_001_title_repeated_at_top(corpus):
    by_line = {d.line_no: d for d in corpus["001_4e346f3bddcb4942"].decisions}
    assert by_line[3].kind == "title"
    assert by_line[5].kind == "duplicate" and not by_line[5].keep


def test_headings_are_sections_not_paragraphs(corpus):
    for cleaned in corpus.values():
        texts = {p.text for p in cleaned.paragraphs}
        assert not texts & set(cleaned.headings)
        assert cleaned.title not in texts
        kinds = {d.text: d.kind for d in cleaned.decisions if d.keep}
        assert all(kinds[h] == "heading" for h in cleaned.headings)


def test_decisions_cover_every_line(corpus):
    for stem, cleaned in corpus.items():
        lines = _raw(stem).split("\n")
        assert [d.line_no for d in cleaned.decisions] == list(range(1, len(lines) + 1))
        assert all(d.kind in KINDS and d.reason for d in cleaned.decisions)
        assert all(d.kind == "blank" for d in cleaned.decisions if not d.text)
        assert all(d.keep == (d.kind in ("title", "heading", "paragraph")) for d in cleaned.decisions)


def test_the_seeds_are_read_with_the_indonesian_stop_list(corpus):
    assert {c.language for c in corpus.values()} == {"Indonesian"}


def test_rules_are_named_and_used(corpus):
    names = [name for name, _ in RULES]
    assert len(names) == len(set(names)) and {"baca-juga", "lihat-asli", "disclaimer"} <= set(names)
    reasons = " ".join(d.reason for c in corpus.values() for d in c.decisions)
    assert "rule: baca-juga" in reasons and "rule: lihat-asli" in reasons and "rule: disclaimer" in reasons


def test_explain_table(corpus):
    table = explain(corpus["004_7072c18476457dd8"].decisions)
    rows = table.splitlines()
    assert len(rows) == 61
    assert "KEEP" in rows[0] and "title" in rows[0]
    assert rows[20].split()[:3] == ["21", "DROP", "boilerplate"] and "rule: baca-juga" in rows[20]


# ---------------------------------------------------------------- synthetic cases

P1 = (
    "Presiden mengatakan bahwa pemerintah akan terus bekerja sama dengan semua pihak untuk menjaga "
    "stabilitas dan keamanan di kawasan itu, kata dia kepada wartawan di Jakarta pada hari Senin, "
    "sambil menegaskan bahwa hubungan kedua negara tetap kuat."
)
P2 = (
    "Menurut dia, kerja sama yang sudah berjalan selama ini akan diperluas ke bidang ekonomi dan "
    "pertahanan, termasuk latihan militer bersama yang direncanakan pada tahun depan di wilayah timur, "
    "yang menurut para pejabat akan menjadi yang terbesar dalam sejarah."
)
P3 = (
    "Para pengamat menilai bahwa langkah tersebut merupakan sinyal yang jelas bagi negara-negara lain "
    "di kawasan, karena kedua pemerintah ingin menunjukkan bahwa mereka tidak akan tunduk pada tekanan "
    "dari luar dan akan tetap menjalankan kebijakan mereka sendiri."
)


def test_new_sites_related_link_lines_are_dropped():
    text = "\n".join(
        ["Judul Berita dari Situs Baru", P1, "BACA JUGA: Harga Emas Hari Ini Naik Lagi", P2,
         ">> Baca juga: Cuaca Jakarta", P3, "Simak Juga Video Presiden di Jakarta"]
    )  # fmt: skip
    cleaned = clean_article(text)
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3]
    assert [d.reason for d in cleaned.decisions if d.kind == "boilerplate"][:2] == ["rule: baca-juga"] * 2


def test_html_like_text_is_kept_verbatim():
    p2 = P2.replace("ekonomi dan", "ekonomi <p>dan</p> &amp;")
    cleaned = clean_article(f"Judul Berita Tentang Kerja Sama\n\n{P1}\n\n{p2}\n\n{P3}\n")
    assert [p.text for p in cleaned.paragraphs] == [P1, p2, P3]


@pytest.mark.parametrize(("text", "lines"), [("", 0), ("\n", 1), ("   \n\t\n", 2), ("\ufeff", 0)])
def test_empty_input(text, lines):
    """Nothing to keep, but every line (a final newline ends the last one, it starts no new one; a BOM
    is no text) still gets its decision, and the ``--explain`` table one row for it: dropped as blank."""
    cleaned = clean_article(text)
    assert cleaned.paragraphs == [] and cleaned.headings == [] and cleaned.title is None
    assert [(d.line_no, d.text, d.keep, d.kind, d.reason) for d in cleaned.decisions] == [
        (n, "", False, "blank", "blank") for n in range(1, lines + 1)]
    table = explain(cleaned.decisions)
    assert [row.split() for row in table.splitlines()] == [[str(n), "DROP", "blank", "blank"]
                                                           for n in range(1, lines + 1)]
    assert table.count("\n") == max(lines - 1, 0)  # one row a line, nothing before or after


def test_only_boilerplate_gives_no_paragraphs():
    cleaned = clean_article("Komentar\nLoad More\nx|close\n")
    assert cleaned.paragraphs == []
    assert not any(d.keep for d in cleaned.decisions if d.kind != "title")


def test_heading_between_paragraphs_becomes_section_and_single_words_do_not():
    text = "\n".join(["Judul Utama Berita Ini", P1, "Latar Belakang Konflik", P2, "Komentar", P3])
    cleaned = clean_article(text)
    assert cleaned.title == "Judul Utama Berita Ini"
    assert [p.section for p in cleaned.paragraphs] == [
        None,
        "Latar Belakang Konflik",
        "Latar Belakang Konflik",
    ]
    assert cleaned.headings == ["Latar Belakang Konflik"]
    assert {d.text: d.kind for d in cleaned.decisions}["Komentar"] == "boilerplate"


def test_title_between_two_copies_is_found():
    text = "\n".join([P1, "Bagian Kedua Artikel", P2, "Lihat Asli", "Judul Artikel yang Diulang Dua Kali",
                      P1, "Bagian Kedua Artikel", P2])  # fmt: skip
    cleaned = clean_article(text)
    assert cleaned.title == "Judul Artikel yang Diulang Dua Kali"
    assert [p.line_no for p in cleaned.paragraphs] == [1, 3]
    assert cleaned.headings == ["Bagian Kedua Artikel"]
    assert [d.kind for d in cleaned.decisions[5:]] == ["duplicate"] * 3


def test_duplicates_across_articles_share_seen_hashes():
    seen: set[str] = set()
    first = clean_article(f"Judul Pertama Berita\n{P1}\n{P2}", seen)
    assert len(seen) == 2
    curly = P2.replace("Menurut dia,", "MENURUT  dia,")  # case and spacing differ: same hash
    second = clean_article(f"Judul Kedua Berita\n{curly}\n{P3}", seen)
    assert [p.text for p in first.paragraphs] == [P1, P2]
    assert [p.text for p in second.paragraphs] == [P3]
    dup = next(d for d in second.decisions if d.kind == "duplicate")
    assert dup.reason == "duplicate of a paragraph in an earlier article"
    assert second.paragraphs[0].position == 0


def test_caption_repeated_within_itself_is_dropped():
    caption = "Presiden Rusia dan Presiden China berjabat tangan di Moskow pada pertemuan itu"
    text = "\n".join(["Judul Berita Pertemuan", f"{caption} {caption} (Foto: Antara)", P1, P2])
    cleaned = clean_article(text)
    assert [p.text for p in cleaned.paragraphs] == [P1, P2]
    assert cleaned.decisions[1].reason.startswith("rule: caption-repeat")


def test_crlf_line_numbers():
    cleaned = clean_article("Judul Berita Baru Hari Ini\r\n\r\n" + P1 + "\r\n" + P2 + "\r\n")
    assert [p.line_no for p in cleaned.paragraphs] == [3, 4]
    assert len(cleaned.decisions) == 4


def test_normalize_and_hash():
    assert normalize_text("  “Kata”\u00a0dia —  ‘YA’ ") == "\"kata\" dia - 'ya'"
    assert normalize_text("ＡＢＣ") == "abc"  # NFKC
    assert content_hash("Kata “dia”.") == content_hash('kata  "DIA".')
    assert content_hash("a") != content_hash("b")
    assert len(content_hash("x")) == 64 and int(content_hash("x"), 16) >= 0


def test_control_characters_never_reach_a_paragraph():
    """A NUL or an escape inside a scraped line is replaced by a space: quoted text must be clean."""
    line = ("Presiden Rusia Vladimir Putin dan Presiden China Xi Jinping\x00 membahas kerja sama ekonomi kedua "
            "negara\x1b dalam pertemuan yang berlangsung di Moskow pada hari Selasa, menurut keterangan resmi "
            "yang dirilis oleh Kremlin setelah pertemuan tersebut selesai dilaksanakan.")
    cleaned = clean_article("Judul Berita Tentang Putin dan Xi\n" + line + "\n")
    assert [p.text for p in cleaned.paragraphs] == [line.replace("\x00", " ").replace("\x1b", " ")]


def test_an_article_written_in_short_paragraphs_only_is_kept():
    """jusText keeps 70-200-character prose only beside a longer paragraph; a site that writes only
    short paragraphs would lose its whole article."""
    paragraphs = [
        "Presiden Rusia Vladimir Putin menerima Perdana Menteri India Narendra Modi di Kremlin pada hari "
        "Selasa untuk membahas kerja sama energi dan perdagangan kedua negara.",
        "Kedua pemimpin sepakat untuk meningkatkan volume perdagangan bilateral dan memperluas kerja sama "
        "di bidang energi nuklir serta minyak mentah dalam beberapa tahun ke depan.",
        "Menurut juru bicara Kremlin, pertemuan itu berlangsung dalam suasana yang hangat dan konstruktif, "
        "dan kedua pihak berjanji untuk bertemu lagi tahun depan di New Delhi.",
    ]
    assert all(150 < len(p) < 200 for p in paragraphs)
    chrome = [
        "Silakan login terlebih dahulu untuk dapat memberikan komentar pada artikel yang Anda baca ini.",
        "Ikuti kami di Google News untuk mendapatkan berita terbaru setiap hari langsung di ponsel Anda.",
        "Hak cipta dilindungi undang-undang, dilarang mengutip atau menyalin isi artikel ini tanpa izin.",
        "Dapatkan berita pilihan editor setiap pagi melalui kanal WhatsApp kami, gratis dan tanpa iklan.",
        "Anda yakin ingin menghapus komentar ini? Komentar yang sudah dihapus tidak dapat dikembalikan.",
        "Berhasil Login..... Selamat datang kembali, silakan lanjutkan membaca artikel pilihan Anda.",
    ]
    cleaned = clean_article("\n".join(["Site icon Kabar", "Putin dan Modi Bahas Kerja Sama Energi", *paragraphs,
                                        *chrome, "Load More", "x|close"]))
    assert cleaned.title == "Putin dan Modi Bahas Kerja Sama Energi"
    assert [p.text for p in cleaned.paragraphs] == paragraphs  # the widget and calls to the reader are not
    assert {d.text for d in cleaned.decisions if not d.keep} == {"Site icon Kabar", "Load More", "x|close", *chrome}


@pytest.mark.parametrize("prose", [
    "Platform media sosial Weibo menghapus komentar yang mengkritik pertemuan Xi dan Putin di Moskow pekan lalu.",
    "Juru bicara Kremlin Dmitry Peskov meminta warga untuk ikuti akun resmi pemerintah di Telegram selama krisis.",
    "\"Ikuti kanal resmi kami di Telegram,\" tulis Kementerian Pertahanan Rusia dalam unggahannya pada hari Senin.",
    "\"Silakan masuk,\" kata Putin kepada Xi saat menyambutnya di Kremlin pada hari Selasa pagi waktu setempat.",
    "Gagal login ke sistem pemerintahan membuat ribuan pegawai tidak bisa bekerja selama dua hari berturut-turut.",
    "Hak cipta atas karya jurnalistik kini dilindungi oleh undang-undang baru yang disahkan parlemen Rusia.",
    "© Foto ini diambil oleh fotografer kantor berita pemerintah saat pertemuan kedua pemimpin berlangsung.",
    # an editor's initials closing an article, and agencies named in prose, are no photo credit
    "Putin dan Xi dijadwalkan bertemu lagi di Beijing pada bulan depan untuk membahas kerja sama energi. (afp/bac)",
    "Pernyataan itu dikutip oleh kantor berita AFP/Reuters dari seorang pejabat Kremlin yang tidak disebutkan namanya.",
    "Editor harian pemerintah China mengatakan bahwa kunjungan itu menandai babak baru hubungan kedua negara.",
    "Oleh karena itu, Beijing menolak menyebut operasi militer Rusia di Ukraina sebagai sebuah invasi.",
    "By signing the agreement, Moscow and Beijing committed to expand trade in national currencies.",
    "Rusia menuding Barat memperluas pengaruh militernya di Eropa Timur melalui aliansi mereka (AS/NATO).",
    "Reporting by state media suggested the talks had lasted more than three hours on Tuesday evening.",
    "Follow-up talks between the two delegations are expected in Beijing later this month, officials said.",
    "Akhir dari perang di Ukraina, menurut Wang, hanya bisa dicapai melalui dialog dan negosiasi damai.",
    "Sebelumnya, Rusia mengirim pasukan ke wilayah perbatasan. - Pasukan itu ditarik sepekan kemudian.",
    "Putin mengatakan hubungan kedua negara berada di titik tertinggi dalam sejarah. Foto bersama dilakukan.",
    # a closing source tag, a bulletin in prose, a newsletter's subscribers, "the end of" in prose
    P3 + " (AFP/Z-2)", P3 + " (Reuters/AFP)", P3 + " (Antara/AFP)",
    "Dalam buletin yang dirilis Senin, BMKG merilis daftar 10 wilayah yang berpotensi hujan lebat.",
    "The newsletter, which has more than 50,000 subscribers, first reported the meeting on Tuesday.",
    "Akhir dari konflik ini belum terlihat dalam waktu dekat.",
    "Source: Xinhua| 2025-05-08 23:51:20|Editor: huaxia",  # the page's stamp: metadata reads it
    "Sumber di Kremlin mengatakan pertemuan itu berlangsung selama tiga jam/lebih, menurut AFP.",
    # a report that agencies wrote, a correspondent's reporting in a sentence: no wire story's credit
    "Three government agencies contributed to this report, the ministry said on Tuesday.",
    # "click here" and "scroll down" in prose, not as a button
    "Warga diminta tidak sembarangan klik di sini atau di sana pada tautan yang dikirim lewat pesan singkat.",
    "Scroll ke bawah layar ponsel menjadi kebiasaan baru warga Moskow, menurut survei tersebut.",
    "Reuters reported from Moscow that the talks had stalled, citing two people familiar with them.",
])
def test_news_prose_that_mentions_logins_channels_or_copyright_is_not_chrome(prose: str):
    """The reader-call and copyright rules take short lines that start with the call, not prose."""
    from embeddings.chrome import matched_rule

    assert matched_rule(prose) is None


#: An English wire story as a scraper saves it: its prose has few Indonesian stop words, so read with
#: the Indonesian list jusText took every line for chrome and the file indexed nothing.
EN_PROSE = [
    "MOSCOW, March 21 (Reuters) - Chinese President Xi Jinping and Russian President Vladimir Putin pledged "
    "on Tuesday to deepen their strategic partnership, as the West watched for any sign that Beijing might "
    "supply weapons to Moscow.",
    "Putin said he had studied China's 12-point peace plan for Ukraine with respect and that many of its "
    "provisions could be taken as the basis for a settlement when the West and Kyiv were ready.",
    "The United States has said China is considering sending arms to Russia, which Beijing denies.",
]
EN_PAGE = (Path(__file__).parent / "data" / "english_wire_story.txt").read_text(encoding="utf-8").splitlines()


def test_an_english_page_is_read_with_the_english_stop_list():
    cleaned = clean_article("\n".join(EN_PAGE))
    assert cleaned.language == "English"
    assert cleaned.title == "Xi and Putin pledge deeper ties as Ukraine war grinds on"
    assert [p.text for p in cleaned.paragraphs] == EN_PROSE
    kept = {d.text for d in cleaned.decisions if d.keep}
    assert kept == {cleaned.title, *EN_PROSE}
    reasons = {d.text: d.reason for d in cleaned.decisions}
    assert reasons["Read more: China's peace plan for Ukraine explained"] == "rule: read-more"


@pytest.mark.parametrize("lines", [[], ["Load More", "x|close"], ["12345", "----"]])
def test_a_page_without_stop_words_is_read_as_indonesian(lines: list[str]):
    assert clean_article("\n".join(lines)).language == "Indonesian"


@pytest.mark.parametrize("prose", [
    "Related talks between the two foreign ministers were held in Beijing on Monday, officials said.",
    "Read more widely, the statement suggests that Moscow is ready to accept Chinese mediation.",
    "Read also as a warning to Washington, the statement named no country but the United States.",
])
def test_english_prose_starting_like_a_related_link_is_kept(prose: str):
    from embeddings.chrome import matched_rule

    assert matched_rule(prose) is None


@pytest.mark.parametrize(("line", "rule"), [
    ("Kapal perang China berlayar dalam latihan gabungan di Samudra Hindia. (AFP/HANDOUT)", "photo-caption"),
    ("Juru bicara Kremlin Dmitry Peskov. REUTERS/Maxim Shemetov", "photo-caption"),
    ("Foto: Presiden Rusia Vladimir Putin dan Presiden China Xi Jinping di Kazan. (via REUTERS/SPUTNIK)",
     "photo-caption"),
    ("Lihat Foto", "photo-caption"),
    ("Editor Hendra Wicaksono", "byline"), ("Penulis: Dewi Anggraini", "byline"),
    ("By Guy Faulconbridge and Laurie Chen", "byline"),
    ("Bagikan :", "share"), ("url telah tercopy", "share"),
    ("Baca: Xi Jinping dan Putin Saling Kirim Ucapan Tahun Baru, Ini Isinya", "baca-juga"),
    ("Pilihan Editor: Cina Gelar Latihan 'Strait Thunder' di Sekitar Taiwan", "baca-juga"),
    ("Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com. Mari bergabung di Grup "
     "Telegram, caranya klik link https://t.me/kompascomupdate, kemudian join.", "reader-call"),
    ("Sign up for our China Briefing newsletter: the essential guide to what is happening in China, in your "
     "inbox every weekday", "newsletter"),
    ("Berjalan setelah berbincang di Beijing, Rabu, 18 Oktober 2023. "
     "(Sergei Guneyev/Sputnik, Kremlin Pool Photo via AP)", "photo-caption"),
    ("Putin dan Xi di Kazan, Selasa (22/10/2024). [Alexander Zemlianichenko/POOL/AFP]", "photo-caption"),
    ("Pengebom China H-6K terbang dalam patroli bersama. Foto/Kementerian Pertahanan Jepang", "photo-caption"),
    ("Keterangan gambar, Putin disambut dengan upacara militer di Beijing, Kamis (16/05).", "photo-caption"),
    ("Item 1 of 2 Chinese President Xi Jinping and Russian President Vladimir Putin attend a meeting", "photo-caption"),
    ("Reporting by Daria Volkova in Moscow; Editing by Simon Hale", "byline"),
    ("Melaporkan dari, Jakarta", "byline"),
    ("Tags :", "label"), ("Halaman:", "label"),
    ("Read also: Prabowo to attend Beijing military parade after all, Palace says", "read-more"),
    ("Show more", "widget"), ("Report This Ad", "widget"),
    ("Akhir dari Artikel-artikel yang direkomendasikan", "widget"),
    ("Our Standards: The Thomson Reuters Trust Principles., opens new tab", "widget"),
    ("Advertisement · Scroll to continue", "advert"), ("Scroll ke bawah untuk melanjutkan membaca", "advert"),
    ("Baca berita dengan sedikit iklan, klik di sini", "widget"),
    ("Follow Berita Okezone di Google News", "reader-call"),
    ("Putin dan Xi di Kazan, Selasa (22/10)Foto: Alexander Zemlianichenko/POOL/AFP/Getty Images", "photo-caption"),
    ("Xi Jinping tiba di Bandara Vnukovo, Moskow, Rabu (7/5/2025). ©REUTERS/Maxim Shemetov", "photo-caption"),
    ("Presiden Rusia Vladimir Putin dan Presiden China Xi Jinping di Beijing. - Bloomberg", "photo-caption"),
    ("Nadya Kurnia Pertiwi - Bisnis.com", "byline"), ("Dewi Anggraini - detikNews", "byline"),
    ("Get the best of The Jakarta Post's news and insights delivered to your inbox.", "newsletter"),
    ("Please check your email for your newsletter subscription.", "newsletter"),
    ("Lewati ke situs lainnya DW", "site-icon"),
    ("Wang Yi berjabat tangan dengan Sergey Lavrov di Vientiane, Laos. (x.com/mfa_russia)", "photo-caption"),
    ("Kapal kontainer bersandar di Pelabuhan Vladivostok, Rusia. ANTARA FOTO/REUTERS/Tatiana Meel/aww.",
     "photo-caption"),
    ("A Russian nuclear-powered icebreaker in the Arctic. Photograph: Alexander Nemenov/AFP/Getty Images",
     "photo-caption"),
    ("Sputnik/Vyacheslav Prokofyev/Pool via REUTERS", "photo-caption"),
    ("Sumber: Administrasi Umum Kepabeanan China", "label"),
    ("This browser does not support the video element.", "widget"), ("Halaman Selanjutnya", "widget"),
    ("This article is more than 1 year old", "widget"),
    ("Associated Press writer Ken Yamada in Tokyo contributed to this report.", "closing-credit"),
    ("Associated Press writer Matthew Lee in Washington, D.C., contributed to this report.", "closing-credit"),
    ("Orlova reported from Moscow. Associated Press writer Ken Yamada in Tokyo contributed to this report.",
     "closing-credit"),
    ("To read the full story, subscribe to Nikkei Asia.", "reader-call"),
    ("I hope you appreciated this article. Before you move on, I wanted to ask if you would consider supporting "
     "the Guardian's journalism as we enter one of the most consequential news cycles of our lifetimes.", "appeal"),
])
def test_new_sites_chrome_is_named(line: str, rule: str):
    from embeddings.chrome import matched_rule

    assert matched_rule(line) == rule


def test_a_headline_after_a_related_label_and_a_tag_are_no_headings():
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, "Lihat Juga :",
                                       "Putin Bersedia Bantu AS Bernegosiasi soal Nuklir dengan Iran", P2,
                                       "Kerja Sama Pertahanan", P3, "hubungan Rusia-China",
                                       P1.replace("Presiden", "Menteri")]))
    assert cleaned.headings == ["Kerja Sama Pertahanan"]
    reasons = {d.text: d.reason for d in cleaned.decisions}
    assert "related-articles label" in reasons["Putin Bersedia Bantu AS Bernegosiasi soal Nuklir dengan Iran"]
    assert "a tag does not" in reasons["hubungan Rusia-China"]


def test_the_title_is_the_longest_headline_in_the_header():
    cleaned = clean_article("\n".join(["South China Morning Post", "Sign in", "Cuap Cuap Cuan",
                                       "Putin dan Xi Bahas Kerja Sama Energi di Beijing", "Penulis: Dewi", P1, P2]))
    assert cleaned.title == "Putin dan Xi Bahas Kerja Sama Energi di Beijing"


def test_a_caption_whose_credit_is_on_the_next_line_is_chrome():
    caption = "Presiden Rusia Vladimir Putin (kanan) berjabat tangan dengan Presiden China Xi Jinping di Astana."
    cleaned = clean_article("\n".join(["Putin dan Xi Sepakat Perkuat Peran SCO", caption,
                                       "Foto: Sergei Guneyev, Sputnik, Kremlin Pool Photo via AP", P1, P2, P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3]
    assert {d.text: d.reason for d in cleaned.decisions}[caption].startswith("rule: photo-caption")


def test_a_question_headline_is_a_heading_or_a_related_link_not_a_paragraph():
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, "Baca Juga:",
                                       "Prabowo Tunjuk Sugiono Jadi Menlu, Indonesia Bakal Gabung BRICS?", P2,
                                       "Apa yang diinginkan Putin?", P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3]
    assert cleaned.headings == ["Apa yang diinginkan Putin?"] and cleaned.paragraphs[2].section == cleaned.headings[0]


def test_summary_bullets_are_no_title():
    cleaned = clean_article("\n".join(["Xi tells Putin China and Russia should deepen ties", "Summary",
                                       "Xi and Putin speak by video link hours after Trump inauguration", P1, P2]))
    assert cleaned.title == "Xi tells Putin China and Russia should deepen ties"


def test_nothing_after_the_copyright_line_is_the_article():
    footer = ("The information contained on this website may not be reproduced without written permission, "
              "the agency said in a statement published on its website on Monday.")
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, P2, "© 2025 TASS", footer]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2]


def test_a_deck_under_the_headline_does_not_take_the_title():
    headline = "Lavrov, Wang Yi discuss Ukraine, Iran, relations with US in Beijing"
    deck = ("The ministers also reviewed preparations for the SCO summit in Tianjin and upcoming high-level "
            "contacts, the Russian Foreign Ministry said")
    assert clean_article("\n".join(["TASS", "World", headline, deck, P1, P2])).title == headline


def test_a_time_stamp_inside_the_body_is_no_heading():
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, "Selasa, 2 September 2025 | 19:48", P2, P3]))
    assert cleaned.headings == [] and [p.text for p in cleaned.paragraphs] == [P1, P2, P3]


def test_a_caption_starting_with_foto_says_nothing_of_the_paragraph_above():
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, P2,
                                       "Foto: Ilustrasi bendera ASEAN (iStock)", P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3]


def test_a_photo_s_copyright_inside_the_body_cuts_nothing():
    page = ["Judul Berita dari Situs Baru", P1, P2, "© 2024 Getty Images", P3, P1 + " Lagi."]
    cleaned = clean_article("\n".join(page))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3, P1 + " Lagi."]


def test_a_question_with_a_lead_in_is_prose_and_a_numbered_headline_is_a_heading():
    question = "Pertanyaannya, apakah pemerintah siap menanggung beban subsidi yang terus membengkak tahun depan?"
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, question, P2,
                                       "5 Fakta Penting Soal Tarif Trump", P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, question, P2, P3]
    assert cleaned.headings == ["5 Fakta Penting Soal Tarif Trump"]


@pytest.mark.parametrize("header", [
    ["Harga Emas Anjlok", "Senin, 13 Mei 2024"],  # a date line is never the title, however long
    ["Harga Emas Anjlok", "Dibaca normal 2 menit"],  # nor a reading time
    ["Harga Emas Anjlok", "Harga emas dunia turun tajam pada perdagangan Senin karena investor beralih ke dolar"],
])
def test_a_short_headline_keeps_the_title_over_a_stamp_a_reading_time_or_a_deck(header: list[str]):
    assert clean_article("\n".join([*header, P1, P2, P3])).title == "Harga Emas Anjlok"


def test_an_english_page_with_words_of_other_stop_lists_reads_as_english():
    from embeddings.languages import page_language

    page = [("India's central bank said data on Chinese investment showed the banks in India would keep "
             "lending, and that the government was ready to act if the rupee fell further this year.")] * 3
    assert page_language(page) == "English"


def test_a_numbered_heading_after_a_related_link_stays_a_heading():
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P3, "1. Rusia siap jadi mediator", P1,
                                       "Baca Juga:", "2. China tegaskan sikap soal Ukraina", P2]))
    assert cleaned.headings == ["1. Rusia siap jadi mediator", "2. China tegaskan sikap soal Ukraina"]


def test_stop_words_with_punctuation_attached_count():
    """jusText splits on whitespace, so "rencana." and "kami," were no stop words: a quote or a
    paragraph of figures, dense with commas, read as chrome between two paragraphs and was lost. A
    comma-separated line of tags has no stop words however they are punctuated, and stays chrome."""
    quote = ('"Semua pekerjaan berjalan sesuai rencana. Kami sedang menyelesaikan kesepakatan dengan mitra '
             'China kami," ujar Putin dalam konferensi pers bersama, seperti dilansir Reuters.')
    figures = ("Ekspor China ke Rusia, yang didominasi mobil, mesin, dan barang elektronik, turun 2,9% menjadi "
               "US$ 115,5 miliar. Sebaliknya, impor China dari Rusia, terutama minyak mentah, gas alam, dan "
               "batubara, naik 4,7% menjadi US$ 129,3 miliar.")
    tags = "Vladimir Putin, Xi Jinping, Rusia, China, Mongolia, Gazprom, CNPC, Power of Siberia 2, Ulan Bator."
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, quote, P2, figures, tags, P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, quote, P2, figures, P3]


def test_a_sentence_between_paragraphs_with_only_chrome_between_is_the_article_s():
    """jusText judges a line alone by its stop words; a sentence of names just under its floor, split
    from the paragraphs by an ad, is the story's. A caption of names, with almost no stop words, is not."""
    sentence = "Khamenei has rejected talks under pressure, saying Washington's demands went beyond the nuclear issue."
    caption = "Vladimir Putin, Xi Jinping, Narendra Modi and Luiz Inacio Lula da Silva in Kazan, Russia, 2024."
    en = [EN_PROSE[0], EN_PROSE[1] + " " + EN_PROSE[2], EN_PROSE[0].replace("Tuesday", "Monday")]
    cleaned = clean_article("\n".join(["China and Russia back Iran", en[0], "Advertisement", sentence, en[1],
                                       caption, en[2]]))
    assert [p.text for p in cleaned.paragraphs] == [en[0], sentence, en[1], en[2]]
    assert {d.text: d.reason for d in cleaned.decisions}[sentence].endswith("the paragraphs beside it vouch for")


def test_a_short_last_sentence_right_under_a_paragraph_is_the_article_s():
    """jusText calls a short line bad when chrome follows it: an article's one-sentence last paragraph
    before a related link was lost. A short sentence that is not directly under a paragraph, or that
    has few stop words (a credit line), or that is no sentence (a prompt), stays chrome."""
    last = "Hingga kini China belum pernah mengecam invasi Rusia ke Ukraina."
    after_link = "Ikuti terus berita terbaru dari kami setiap hari di sini."
    credit = "Tim Redaksi IDN Times, Jakarta, Indonesia."
    prompt = "Baca berita dengan sedikit iklan, klik di sini"
    footer = "IDN Times Community is a media platform for millennials and Gen Z in Indonesia."
    for tail in ([last], [last, credit], [last, prompt]):
        cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, P2, P3, *tail,
                                           "Baca Juga: 5 Fakta Kunjungan Putin ke China", after_link, footer]))
        assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3, last]
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, P2, P3, credit, prompt, footer]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3]


def test_a_deck_between_the_headline_and_its_stamp_is_chrome_and_a_short_lede_is_not():
    """Headline, standfirst, date, then the story: the standfirst restates the story. A short first
    paragraph with no stamp under it, or a stamp under a long lede, is the story's."""
    title, stamp = "Rusia Sebut Latihan Militer Cina Hak Kedaulatan Beijing", "Rabu, 2 April 2025 | 18.05 WIB"
    deck = "Kremlin menegaskan dukungan Moskow terhadap prinsip Satu Cina dan menuding Barat memicu ketegangan."
    cleaned = clean_article("\n".join([title, deck, stamp, P1, P2, P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3]
    assert {d.text: d.reason for d in cleaned.decisions}[deck].startswith("rule: deck")
    assert [p.text for p in clean_article("\n".join([title, deck, P1, P2, P3])).paragraphs] == [deck, P1, P2, P3]
    assert [p.text for p in clean_article("\n".join([title, P1, stamp, P2, P3])).paragraphs] == [P1, P2, P3]


def test_a_summary_box_above_the_story_is_chrome_and_a_label_inside_it_keeps_its_paragraphs():
    """A summary label and its bullets (and the note that an AI wrote them) restate the story; the
    same label inside the story, after its first paragraph, is a heading over the story's own text."""
    bullets = ["Kremlin menyebut latihan militer Cina di sekitar Taiwan sebagai hak kedaulatan Beijing.",
               "Rusia menegaskan kembali dukungannya terhadap prinsip Satu Cina.",
               "Ringkasan ini dibuat secara otomatis dengan bantuan AI dan telah diperiksa oleh redaksi."]
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", "Ringkasan Berita", *bullets, P1, P2, P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3] and cleaned.headings == []
    assert {d.reason for d in cleaned.decisions[1:5]} == {"rule: summary-box; before the article body"}
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, "Poin Penting", *bullets[:2], P2, P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, *bullets[:2], P2, P3]


def test_a_caption_whose_credit_sits_under_a_source_label_is_chrome():
    """Caption / "Sumber :" / a bare credit: the label splits the caption from its credit. A source
    label over a name that is no credit (no slash, no agency) says nothing of the paragraph above."""
    caption = "Presiden Rusia Vladimir Putin disambut Presiden Mongolia Ukhnaagiin Khurelsukh di Ulan Bator."
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", caption, "Sumber :",
                                       "Sputnik/Vyacheslav Prokofyev/Pool via REUTERS", P1, P2, P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3]
    assert {d.text: d.reason for d in cleaned.decisions}[caption].startswith("rule: photo-caption")
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, "Sumber :", "Kementerian Luar Negeri Rusia",
                                       P2, P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, P3]


def test_nothing_after_a_wire_story_s_closing_credit_is_the_article():
    """AP's closing credit, then its reporter's bio and its own blurb, which read as prose. A credit
    with more paragraphs under it than above cuts nothing."""
    credit = "Orlova reported from Moscow. Associated Press writer Ken Yamada in Tokyo contributed to this report."
    bio = ("Leung is an Associated Press reporter based in Beijing who covers Chinese politics, diplomacy and "
           "the country's relations with its neighbors.")
    blurb = ("The Associated Press is an independent global news organization dedicated to factual reporting. "
             "Founded in 1846, AP today remains the most trusted source of fast, accurate, unbiased news.")
    en = [EN_PROSE[0], EN_PROSE[1] + " " + EN_PROSE[2], EN_PROSE[0].replace("Tuesday", "Monday")]
    cleaned = clean_article("\n".join(["Xi and Putin pledge deeper ties", *en, "___", credit, "SIMON LEUNG", bio,
                                       blurb]))
    assert [p.text for p in cleaned.paragraphs] == en
    cleaned = clean_article("\n".join(["Xi and Putin pledge deeper ties", en[0], credit, en[1], en[2]]))
    assert [p.text for p in cleaned.paragraphs] == en


def test_a_box_the_page_offers_to_skip_is_chrome_and_prose_about_whatsapp_is_not():
    """"Lewati Whatsapp dan lanjutkan membaca" … "Akhir dari Whatsapp": the page itself marks the box
    as no part of the story. A skip link with no end marker near it drops no paragraph."""
    box = ["Lewati Whatsapp dan lanjutkan membaca", "Akun resmi kami di WhatsApp",
           "Liputan mendalam BBC News Indonesia langsung di WhatsApp Anda.", "Klik di sini", "Akhir dari Whatsapp"]
    prose = "Rusia membatasi layanan WhatsApp dan Telegram sejak pekan lalu, kata regulator komunikasi negara itu."
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, *box, P2, prose, P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, prose, P3] and cleaned.headings == []
    assert {d.text: d.reason for d in cleaned.decisions}[box[2]] == "rule: skipped-box"
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, box[0], P2, prose, P3]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2, prose, P3]


def test_a_chart_s_or_video_s_title_is_no_heading_and_a_section_heading_is():
    """A headline-like line with a source line ("Sumber: …") or a duration ("01:52") under it titles a
    chart or a video; a section heading has prose under it, even prose that starts with "Sumber"."""
    sourced = "Sumber di Kremlin mengatakan kedua pemimpin akan bertemu lagi di Beijing pada akhir tahun ini."
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, "Nilai Perdagangan China-Rusia (2019-2023)",
                                       "Sumber: Administrasi Umum Kepabeanan China", P2,
                                       "Xi Jinping Tiba di Kazan Disambut Karpet Merah", "01:52", P3,
                                       "Kerja Sama Pertahanan", sourced, P1.replace("Presiden", "Menteri")]))
    assert cleaned.headings == ["Kerja Sama Pertahanan"]
    assert [p.section for p in cleaned.paragraphs] == [None] * 3 + ["Kerja Sama Pertahanan"] * 2


@pytest.mark.parametrize("line", [
    "Reuters reported in April that the plant would close.",
    "The Wall Street Journal reported in December that the deal was near.",
    "CNN reported from Gaza that aid trucks had been turned back.",
    "More than 600 journalists in 117 countries contributed reporting to the investigation.",
    "Local reporters who contributed to this report asked not to be named for their safety.",
])
def test_prose_about_reporting_is_no_closing_credit(line: str):
    """A review's repros: news prose about who reported what must not end the article."""
    from embeddings.chrome import matched_rule

    assert matched_rule(line) is None


def test_a_summary_box_ends_at_its_note_and_never_takes_the_lede():
    page = ["tempo.co", "Iran Tangguhkan Kerja Sama dengan Badan Energi Atom Internasional",
            "Kamis, 3 Juli 2025 | 08.30 WIB", "Ringkasan Berita", "Iran menangguhkan kerja sama dengan IAEA.",
            "Ringkasan ini dibuat secara otomatis dengan bantuan AI dan telah diperiksa oleh redaksi.",
            "TEMPO.CO, Jakarta - Presiden Iran Masoud Pezeshkian mengesahkan undang-undang yang menangguhkan "
            "kerja sama dengan IAEA.",
            "Undang-undang itu disahkan parlemen pekan lalu, beberapa hari setelah Amerika Serikat menyerang tiga "
            "fasilitas nuklir Iran.", P1, P2]
    kept = [p.text for p in clean_article("\n".join(page)).paragraphs]
    assert kept[0].startswith("TEMPO.CO, Jakarta - ") and "Ringkasan" not in " ".join(kept)


def test_a_short_lede_over_a_paragraph_that_mentions_a_clock_time_is_no_deck():
    page = ["Prabowo Tiba di St Petersburg untuk Kunjungan Kenegaraan",
            "Presiden Prabowo Subianto tiba di St Petersburg, Rusia, untuk kunjungan kenegaraan selama tiga hari.",
            "Pesawat kepresidenan mendarat di Bandara Pulkovo pukul 21.40 waktu setempat dan disambut pejabat "
            "pemerintah Rusia serta duta besar Indonesia untuk Rusia.", P1, P2]
    kept = [p.text for p in clean_article("\n".join(page)).paragraphs]
    assert kept[0].startswith("Presiden Prabowo Subianto tiba")


def test_a_paragraph_above_a_bare_source_label_and_credit_is_no_caption():
    paragraph = ("Putin juga menegaskan bahwa Rusia tidak khawatir dengan seruan Mahkamah Pidana Internasional "
                 "untuk menangkapnya, karena Rusia bukan anggota mahkamah itu dan tidak mengakui yurisdiksinya.")
    page = ["Putin Tegaskan Rusia Tak Khawatir Seruan ICC", P1, paragraph, "Sumber :",
            "Sputnik/Vyacheslav Prokofyev/Pool via REUTERS", P2]
    assert paragraph in [p.text for p in clean_article("\n".join(page)).paragraphs]


@pytest.mark.parametrize("line", [
    "Ikuti berita terkini dan menarik lainnya di Google News.",
    "Simak berita lainnya dari kami di kanal WhatsApp.",
    "Artikel ini telah tayang di Kompas.com dengan judul yang sama.",
    "Dapatkan berita terbaru setiap hari dari kami.",
    "Jangan lewatkan berita menarik lainnya hanya di sini.",
    "Semoga informasi ini bermanfaat bagi Anda.",
])
def test_closing_calls_to_the_reader_are_chrome(line: str):
    """Short closing lines a review found kept as the article's last sentence."""
    from embeddings.chrome import matched_rule

    assert matched_rule(line) == "reader-call"
    assert line not in [p.text for p in clean_article("\n".join(["Judul Berita dari Situs Baru", P1, P2, line,
                                                                 "Baca Juga: Judul Lain"])).paragraphs]


@pytest.mark.parametrize("line", ["Simak pernyataan Putin berikut ini.", "Artikel ini membahas hubungan dua negara."])
def test_prose_opening_like_a_call_to_the_reader_is_kept(line: str):
    from embeddings.chrome import matched_rule

    assert matched_rule(line) is None


def test_a_caption_above_its_credit_is_not_rescued_as_a_sentence_between_paragraphs():
    caption = ("Ukrainian servicemen fire a self-propelled howitzer towards Russian positions near Chasiv Yar, "
               "Donetsk region, on June 3.")
    page = ["Russia Launches Largest Drone Attack of the War on Kyiv", P1, caption,
            "Photograph: Gleb Garanich/Reuters", P2]
    assert caption not in [p.text for p in clean_article("\n".join(page)).paragraphs]


def test_a_short_paragraph_above_a_bare_photo_credit_is_kept():
    """A photo with no caption leaves its bare credit under a paragraph: losing the paragraph is worse
    than keeping a caption, so a bare credit alone marks nothing above it."""
    short = "Kedua pemimpin dijadwalkan menandatangani perjanjian pasokan gas melalui jalur pipa baru itu."
    page = ["Judul Berita dari Situs Baru", P1, short, "ANTARA FOTO/Galih Pradipta", P2]
    assert short in [p.text for p in clean_article("\n".join(page)).paragraphs]


def test_a_stamp_with_the_lead_photo_s_credit_under_it_is_still_the_date():
    page = ["Putin Arrives in Mongolia Despite ICC Arrest Warrant", "Tuesday, September 3, 2024",
            "Foto: Sergei Guneyev, Sputnik, Kremlin Pool Photo via AP", P1, P2]
    from embeddings.metadata import extract_metadata

    assert extract_metadata(clean_article("\n".join(page))).date == "2024-09-03"


def test_a_highlights_menu_item_is_no_summary_box():
    page = ["Home", "Berita", "Highlights", "Timnas", "Video", "Timnas Indonesia Tahan Imbang Arab Saudi 1-1 di Jeddah",
            "Jumat, 6 September 2024 | 10:00 WIB", P1, P2]
    cleaned = clean_article("\n".join(page))
    assert cleaned.title == "Timnas Indonesia Tahan Imbang Arab Saudi 1-1 di Jeddah"
    assert not any("summary-box" in d.reason for d in cleaned.decisions)


#: Pages a review of this change wrote to break its rules (tests/data/review/).
REVIEW = Path(__file__).parent / "data" / "review"


def _review_page(name: str):
    return clean_article((REVIEW / name).read_text(encoding="utf-8"))


def test_a_closing_credit_mid_article_cuts_nothing_after_it():
    kept = [p.text for p in _review_page("credit_mid_article.txt").paragraphs]
    assert kept[-1].startswith("Putin is expected to visit China again") and len(kept) == 8


def test_a_credit_that_ends_no_article_does_not_hide_the_copyright_footer_below():
    kept = [p.text for p in _review_page("credit_then_copyright.txt").paragraphs]
    assert kept[-1].startswith("Putin is expected to visit China again")
    assert not any(t.startswith("The information contained in the AP News report") for t in kept)


def test_a_lede_over_a_short_sentence_with_a_clock_time_is_no_deck():
    kept = [p.text for p in _review_page("lede_over_short_clock_sentence.txt").paragraphs]
    assert kept[0].startswith("Presiden Rusia Vladimir Putin tiba di Beijing")


def test_an_updated_stamp_under_the_headline_is_not_the_publication_date():
    from embeddings.metadata import extract_metadata

    meta = extract_metadata(_review_page("updated_stamp_under_headline.txt"))
    assert (meta.date, meta.date_basis) == ("2026-02-05", "published")


# ---------------------------------------------------------------- a user audit's pages and its two cleaning limits

#: Page 2's one sentence, as jusText sees it: few stop words (0.27), so "bad" alone.
NEXT_PAGE = "Wang Yi menambahkan, Beijing siap bekerja sama dengan Moskow untuk menjaga stabilitas rantai pasok global."
NEXT_PAGE_2 = "Analis menilai kedua negara akan terus memperdalam kerja sama energi dalam beberapa tahun ke depan."
#: What ends a page: a byline and tags.
PAGE_END = ["Editor: Rizki Maulana", "Topik", "Rusia", "China"]


def _kept(*lines: str) -> list[str]:
    return [p.text for p in clean_article("\n".join(["Judul Berita dari Situs Baru", P1, P2, *lines])).paragraphs]


def test_the_next_page_under_a_pagination_widget_is_the_article_s():
    """The user audit's page (inilah.com style): "Halaman" / "1" / "2" / "Selanjutnya", then page 2's
    sentence, then the editor and tags. The sentence was lost "after the article body"."""
    cleaned = _review_page("pagination_next_page.txt")
    assert [p.text for p in cleaned.paragraphs][-1] == NEXT_PAGE and len(cleaned.paragraphs) == 5
    reasons = {d.text: d.reason for d in cleaned.decisions}
    assert reasons[NEXT_PAGE] == "jusText: bad; the next page's text, under a pagination widget"
    assert [reasons[t] for t in ("Halaman", "1", "2", "Selanjutnya")] == ["rule: pagination"] * 4
    assert reasons["Editor: Rizki Maulana"].endswith("after the article body")


@pytest.mark.parametrize("widget", [
    ["Halaman", "1", "2", "Selanjutnya"], ["Halaman 1 2 3 Selanjutnya"], ["Page 1 of 2"], ["Next page"],
    ["« Sebelumnya", "1", "2", "Selanjutnya »"], ["Halaman 2 dari 2"], ["1", "2", "Next"],
])
def test_pagination_widgets_are_chrome_and_the_next_page_is_kept(widget: list[str]):
    assert _kept(*widget, NEXT_PAGE, NEXT_PAGE_2, *PAGE_END) == [P1, P2, NEXT_PAGE, NEXT_PAGE_2]
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, *widget, P2, P3]))
    assert cleaned.headings == [] and [p.text for p in cleaned.paragraphs] == [P1, P2, P3]
    assert all(not d.keep for d in cleaned.decisions if d.text in widget)


@pytest.mark.parametrize("between", [
    [],  # no widget: the same sentences after the article's last paragraph stay chrome
    ["Selanjutnya"],  # a link to the next article, whose teaser follows: no page number, no "Halaman"
    ["Halaman", "1", "2", "© 2025 Inilah.com - All Rights Reserved"],  # the copyright line ends the article
    ["Halaman", "1", "2", "Berita Terkait"],  # so does a related-articles list
    ["Halaman", "1", "2", "Editor: Rizki Maulana"],  # and a byline
])
def test_only_a_pagination_widget_vouches_for_what_follows_and_the_article_s_end_still_ends_it(between: list[str]):
    assert _kept(*between, NEXT_PAGE, NEXT_PAGE_2, *PAGE_END) == [P1, P2]


def test_a_caption_under_a_pagination_widget_is_not_the_next_page():
    assert _kept("Halaman", "1", "2", NEXT_PAGE, "ANTARA FOTO/Galih Pradipta", *PAGE_END) == [P1, P2]


@pytest.mark.parametrize("line", [
    "Halaman depan harian itu memuat foto kedua pemimpin yang berjabat tangan di Kremlin.",
    "Page 2 of the report says the pipeline will carry 50 billion cubic metres a year.",
    "Halaman Istana",  # a heading, not a widget: "Istana" is no widget's word
    "1",  # a most-read list's number, with no page word beside it
])
def test_lines_with_a_widget_s_words_are_no_pagination(line: str):
    from embeddings.pagination import widgets

    assert widgets(["Judul Berita dari Situs Baru", P1, line, "Harga Emas Antam Turun Lagi Hari Ini", P2]) == []


@pytest.mark.parametrize("credit", ["Sumber: Istimewa", "Sumber: Dok. Kemlu", "Sumber: Reuters/Evgenia Novozhenina"])
def test_a_section_heading_over_a_photo_s_credit_stays_a_heading(credit: str):
    """Heading, its photo (its credit "Sumber: Istimewa"), then its prose: the photo's credit is no
    chart's data source, so the heading is no chart's title. A chart's stays one (see
    test_a_chart_s_or_video_s_title_is_no_heading_and_a_section_heading_is)."""
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, "Kerja Sama Pertahanan", credit, P2, P3]))
    assert cleaned.headings == ["Kerja Sama Pertahanan"]
    assert [p.section for p in cleaned.paragraphs] == [None, "Kerja Sama Pertahanan", "Kerja Sama Pertahanan"]
    assert {d.text: d.keep for d in cleaned.decisions}[credit] is False


def test_a_caption_over_a_photo_s_credit_is_no_heading():
    caption = "Presiden Xi Jinping (kanan) dan Presiden Vladimir Putin di Kremlin"
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, caption, "Sumber: Istimewa", P2, P3]))
    assert cleaned.headings == [] and [p.text for p in cleaned.paragraphs] == [P1, P2, P3]


@pytest.mark.parametrize(("line", "photo"), [
    ("Sumber: Istimewa", True), ("Sumber: Dok. Kemlu", True), ("Sumber: Reuters/Evgenia Novozhenina", True),
    ("Sumber: ANTARA FOTO/Galih Pradipta", True), ("Source: Getty Images", True),
    # a chart's data, a text's wire sources: no photo
    ("Sumber: Administrasi Umum Kepabeanan China", False), ("Sumber: Badan Pusat Statistik (BPS), diolah", False),
    ("Sumber: Kementerian Perdagangan/Badan Pusat Statistik", False), ("Sumber: Reuters", False),
    ("Sumber : Kompas TV/Xinhua/TASS", False), ("Sumber di Kremlin mengatakan foto itu asli.", False),
])
def test_a_photo_s_credit_is_told_from_a_chart_s_or_a_text_s_source(line: str, photo: bool):
    from embeddings.captions import media_label
    from embeddings.chrome import image_credit

    assert image_credit(line) is photo
    assert media_label(line) is (not photo and line.startswith(("Sumber :", "Sumber:")))


#: Captions of the new-site pages that place people in the photo, under a bare credit instead.
PLACED = [
    "Presiden China Xi Jinping (kiri) berjabat tangan dengan Presiden Rusia Vladimir Putin di sela KTT BRICS di "
    "Kazan, Rusia, Selasa (22/10/2024).",
    "Menteri Luar Negeri China Wang Yi (kanan) bersalaman dengan Menteri Luar Negeri Rusia Sergei Lavrov di sela "
    "pertemuan menlu G20 di Johannesburg, Afrika Selatan.",
    "Chinese Vice Foreign Minister Ma Zhaoxu, centre, Iranian Deputy Foreign Minister Kazem Gharibabadi, right, and "
    "Russian Deputy Foreign Minister Sergei Ryabkov meet in Beijing, China, on March 14, 2025.",
    "Para menteri luar negeri negara anggota SCO (dua dari kiri) berfoto bersama sebelum pertemuan di Astana.",
    "ILUSTRASI. Bendera Rusia dan China berkibar di depan gedung Kementerian Luar Negeri di Moskow.",
]


@pytest.mark.parametrize("caption", PLACED)
def test_a_caption_that_places_people_in_the_photo_above_a_bare_credit_is_chrome(caption: str):
    cleaned = clean_article("\n".join(["Judul Berita dari Situs Baru", P1, caption, "ANTARA FOTO/Galih Pradipta", P2]))
    assert [p.text for p in cleaned.paragraphs] == [P1, P2]
    assert {d.text: d.reason for d in cleaned.decisions}[caption] == "rule: photo-caption"


@pytest.mark.parametrize("short", [
    "Kedua pemimpin dijadwalkan menandatangani perjanjian pasokan gas melalui jalur pipa baru itu.",
    # a scene, a place and a date are prose's too: only a place in the picture says caption
    "Kedua menteri berjabat tangan sebelum pembicaraan di Kuala Lumpur, Kamis (10/7/2025).",
    "Pasukan Rusia menyerang dari sayap kiri dan kanan kota itu sejak Senin pagi, kata militer Ukraina.",
    "Partai kanan-tengah (center-right) itu memenangi pemilu parlemen dengan selisih tipis pada hari Minggu.",
])
def test_a_short_paragraph_above_a_bare_credit_that_places_no_one_in_a_photo_is_kept(short: str):
    page = ["Judul Berita dari Situs Baru", P1, short, "ANTARA FOTO/Galih Pradipta", P2]
    assert short in [p.text for p in clean_article("\n".join(page)).paragraphs]
