"""What a scraped line is on its own, before jusText's view of the page: a named boilerplate rule it
matches, whether it is shaped like a headline, a question headline, a deck or a time stamp; and the
runs of lines that matter to structure: listings of other articles, summary bullets, the footer.

:mod:`embeddings.cleaning` combines these with jusText's classification; :mod:`embeddings.metadata`
uses the rules to keep chrome out of its date search.
"""

from __future__ import annotations

import re
from collections.abc import Callable

HEADING_MIN_WORDS = 2  # a lone word between paragraphs ("Advertisement", "Komentar") is no heading
HEADING_MAX_WORDS = 16
TITLE_MIN_WORDS = 3
HEADING_MAX_CHARS = 150
_SENTENCE_END = re.compile(r"[.:;,…]['\"’”)]*$")
_TITLE_END = re.compile(r"[.:;,…]$")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
#: "Home > Internasional > Asia", "Beranda » Dunia": a path through the site, not a title.
_BREADCRUMB = re.compile(r"\s[>»›/]\s|^\W*(home|beranda)\s*[>»›/|]", re.I)


def _self_repeating(text: str) -> bool:
    """An image caption scraped with its alt text: a run of >= 6 words immediately repeated,
    optionally followed by a short photo credit such as ``((Antara))``. Not article prose: it is
    a description of a (possibly older) photo, said twice."""
    words = text.split()
    n = len(words)  # with at most 3 credit words left over, only k >= (n - 3) / 2 can fit
    return any(words[:k] == words[k : 2 * k] for k in range(max(6, (n - 2) // 2), n // 2 + 1))


#: Longest line the reader-call and copyright rules drop: chrome is short, quoted prose is not.
READER_CALL_MAX_CHARS = 120
_READER_CALL = re.compile(
    r"(silakan|silahkan) login\b|(berhasil|gagal) login(\W*$|\.{2,})|anda yakin ingin menghapus komentar|"
    r"hapus komentar\W*$|ikuti (kami|kanal|saluran|akun) \S.*\b(google news|whatsapp|telegram|instagram|"
    r"facebook|tiktok|youtube)\b|dapatkan (berita|update|informasi|info)\b.*\b(whatsapp|telegram|google news|"
    r"kanal|saluran|aplikasi)\b|follow\b.*\b(google news|whatsapp|telegram|instagram)\b|sign up (for|to)\b|"
    r"subscribe (to|for|now)\b|by (submitting|signing up)\b",
    re.I,
)
_COPYRIGHT = re.compile(r"(hak cipta dilindungi undang-undang|copyright\s*(©|\(c\)|\d{4})|©\s*\d{4}|"
                        r"all rights reserved|all quotes delayed)", re.I)


_LINK = re.compile(r"https?://|\bwww\.|\bt\.me/", re.I)


def _reader_call(text: str) -> bool:
    """"Silakan login…", "Ikuti kami di Google News…", "Sign up for our newsletter…": at the start of
    a short line, or of a longer one that carries a link ("… klik link https://t.me/…")."""
    return (len(text) <= READER_CALL_MAX_CHARS or bool(_LINK.search(text))) and bool(_READER_CALL.match(text))


def _copyright(text: str) -> bool:
    """"Hak cipta dilindungi undang-undang…", "© 2025 …", "Copyright © …": at the start of a short line."""
    return len(text) <= READER_CALL_MAX_CHARS and bool(_COPYRIGHT.match(text))


#: Agencies and words that sign a photo credit (case-sensitive: "(afp/bac)", an editor's initials
#: closing an article, is no photo credit).
_AGENCY = (r"(?:AFP|AP|REUTERS|Reuters|ANTARA|Antara|SPUTNIK|Sputnik|XINHUA|Xinhua|EPA|Getty Images|"
           r"POOL|Pool|HANDOUT|Handout|Photo|PHOTO|FOTO|Foto)")
#: A credit at the end of a caption: in brackets, naming an agency with a slash or "via"
#: ("(AFP/HANDOUT)", "(Maxim Shemetov/Pool Photo via AP)", "[Alexander Zemlianichenko/POOL/AFP]"), or
#: after the caption's last full stop ("… bersama. Foto/Kementerian Pertahanan Jepang",
#: "… Peskov. REUTERS/Maxim Shemetov"). "(AS/NATO)", "dikutip AFP/Reuters." and a closing source tag
#: ("(AFP/Z-2)", "(Reuters/AFP)") are prose: a bracket needs a photo word or a photographer's name.
_PHOTO_WORD = r"(?:Photo|PHOTO|Foto|FOTO|POOL|Pool|HANDOUT|Handout|Getty Images|via [A-Z]\w*)"
_WIRE = r"(?:AFP|AP|REUTERS|Reuters|ANTARA|Antara|SPUTNIK|Sputnik|XINHUA|Xinhua|EPA)"
_PHOTO_CREDIT = re.compile(
    rf"[(\[](?=[^()\[\]]*(?:\b{_PHOTO_WORD}\b|\b{_WIRE}\s?/\s?[A-Z][\w'’-]+\s[A-Z]|"
    rf"[A-Z][\w'’-]+\s[A-Z][\w'’-]+\s?/\s?{_WIRE}\b))"
    rf"(?=[^()\[\]]*(?:/|\bvia\b))[^()\[\]]{{2,90}}[)\]]\W*$|"
    rf"\.\s+(?:{_AGENCY}|ANTARA FOTO|AP Photo)\s?/[^.]{{2,60}}$|"
    # "… Rabu (3/7/2024).(AFP/Sputnik)": two agencies glued to the caption's last stop
    rf"[.)]\({_WIRE}\s?/\s?(?:{_WIRE}|Sputnik|SPUTNIK|Kremlin)\)\W*$|"
    # "… Selasa (22/10)Foto: Alexander Zemlianichenko/POOL/AFP" (DW), "… ©REUTERS/Maxim Shemetov" (Merdeka),
    # "… di Beijing. - Bloomberg" (Bisnis)
    r"(?:\b(?:Foto|FOTO|Photo)\s?:|©)\s?[A-Z][^.:]{1,80}$|\.\s[-–—]\s[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2}$"
)
#: "Foto: …", "Keterangan gambar, …" (BBC), "Item 1 of 2 …" / "[1/2]…" (a gallery), Kompas's
#: "Lihat Foto" button.
_PHOTO_LABEL = re.compile(
    r"^\W*((foto|photo|gambar)\s*:|(keterangan|sumber) (gambar|foto)\s*,|item \d+ of \d+\b|lihat foto\W*$)|"
    r"^\[\d+/\d+\]", re.I)
#: A credit on a line of its own ("Foto: Sergei Guneyev, Sputnik, Kremlin Pool Photo via AP"): the
#: line before it is the caption.
_CREDIT_LINE = re.compile(rf"^\W*(?i:foto|photo)\s*:\s*(?=.*\b{_AGENCY}\b)\S.{{0,80}}$")


def _photo_caption(text: str) -> bool:
    """"Foto: Presiden …", a gallery's "Item 1 of 2 …", or a line ending in a photo credit: a
    caption describes a photo (often an older one, with its own date), not the story."""
    return bool(_PHOTO_LABEL.match(text) or _PHOTO_CREDIT.search(text))


def credit_line(text: str) -> bool:
    """A photo credit alone on its line, naming an agency ("Foto: Sergei Guneyev, Sputnik, Kremlin Pool
    Photo via AP"): the line above it is a caption (see :mod:`cleaning`). A caption that starts with
    "Foto:" ("Foto: Ilustrasi bendera ASEAN (iStock)") is one line, and says nothing of the line above."""
    return bool(_CREDIT_LINE.match(text))


#: "Penulis: Nama", "Editor Hendra Wicaksono", "By Guy Faulconbridge", "Melaporkan dari, Jakarta": a
#: label and a name, nothing else; or a wire story's closing "Reporting by Daria Volkova …".
_BYLINE = re.compile(
    r"^\W*(?i:penulis|editor|reporter|pewarta|kontributor|oleh|by|melaporkan dari)\s*[:|,]?\s+"
    r"[A-Z][\w.'’-]*(?:\s+(?:and|dan|&|[A-Z][\w.'’-]*),?)*\s*$|"
    r"^\W*(?i:(additional )?(reporting|writing|editing) by)\s+[A-Z][\w'’-]+\s+[A-Z]|"
    # "Nadya Kurnia Pertiwi - Bisnis.com", "Dewi Anggraini - detikNews"
    r"^[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){0,3}\s[-–—|]\s(?:[\w-]+\.(?:com|co\.id|id|net)|[a-z]+[A-Z]\w+)$"
)
#: Share buttons: "Bagikan :", "url telah tercopy", "Share this article".
_SHARE = re.compile(r"^\W*(bagikan|share( this)?( article| story)?|url telah tercopy|salin tautan|copy link)\W*$", re.I)
#: A label of one or two words and a colon, alone: "Tags :", "Halaman:", "Suggested Topics:".
_LABEL = re.compile(r"^\W*\w+(\s\w+)?\s*:\s*$")
#: Buttons and markers: "Show more", "Report This Ad", "…, opens new tab", "Akhir dari Artikel…",
#: "end of list", reading times ("Dibaca normal 2 menit").
_WIDGET = re.compile(
    r"^\W*((show|load|read) more|lihat (semua|lainnya)|klik di sini|click here|tampilkan lebih banyak|"
    r"report this ad|end of list|akhir dari (artikel|iklan|whatsapp|podcast|video|konten)\b.{0,50}|"
    r"purchase licensing rights.*|dibaca normal \d+ menit|\d+ min(ute)?s? read|waktu baca \d+ menit)\W*$|"
    r"opens new tab\W*$", re.I)
#: A newsletter offer: "… newsletter … Sign up here.", "Dengan mendaftar di newsletter Okezone".
_NEWSLETTER = re.compile(r"^(?=.*\b(newsletter|buletin)\b)(?=.*\b(sign up|subscribe|subscription|mendaftar|"
                         r"berlangganan|inbox)\b).{0,250}$|"
                         r"^.{0,150}\bdelivered (straight |directly )?to your inbox\W*$", re.I)

#: What jusText misses, by name. Each rule drops a line wherever it sits. jusText alone kept
#: 004's mid-body "Baca Juga" (short, between good paragraphs), 000's "Lihat Asli" and disclaimer
#: (stop-word-rich prose) and 004's photo caption; the WordPress chrome lines and adverts are there
#: so they can never be taken for a title or a heading. ``photo-caption`` to ``newsletter`` came from
#: pages of other sites (tests/data/new_sites, README "New coverage from other sites").
RULES: tuple[tuple[str, re.Pattern[str] | Callable[[str], bool]], ...] = (
    # related-article links: "Baca juga …", "Baca: …", "Pilihan Editor: …"; and in English
    ("baca-juga", re.compile(r"^\W*((baca|lihat|simak)\s+juga\b|(baca|simak)\s*:|pilihan editor\s*:)", re.I)),
    ("read-more", re.compile(r"^\W*(read\s+more|also\s+read|see\s+also|related(\s+\w+)?)\s*:|"
                             r"^\W*related (coverage|stories|articles)\W*$", re.I)),
    ("lihat-asli", re.compile(r"^\W*lihat\s+(asli|selengkapnya|artikel\s+asli)\W*$", re.I)),  # view original
    ("disclaimer", re.compile(r"konten pihak ketiga|lihat penafian|^\W*disclaimer\s*:", re.I)),
    ("site-icon", re.compile(r"^site icon\b|^exit mobile version$|^(skip to|lewati ke|lompati ke)\b.{0,40}$", re.I)),
    ("advert", re.compile(r"^\W*((advertisement|iklan)(\W+scroll\b.*)?|scroll (to|untuk) (continue|melanjutkan)\b.*)$",
                          re.I)),
    ("caption-repeat", _self_repeating),
    ("photo-caption", _photo_caption),
    ("byline", _BYLINE),
    ("share", _SHARE),
    ("label", _LABEL),
    ("widget", _WIDGET),
    ("newsletter", _NEWSLETTER),
    # Calls to the reader, comment widgets and copyright lines: prose-like enough that jusText can
    # take them for text when an article has no long paragraph to compare them with. Anchored at the
    # start of a short line, so news prose quoting such words ("Silakan masuk," kata Putin) stays.
    ("reader-call", _reader_call),
    ("copyright", _copyright),
)


def matched_rule(text: str) -> str | None:
    """The name of the first rule in ``RULES`` that drops ``text``, or ``None``."""
    for name, test in RULES:
        if test.search(text) if isinstance(test, re.Pattern) else test(text):
            return name
    return None


def question_headline(text: str) -> bool:
    """A short line ending in "?" with no lead-in ("Apa yang diinginkan Putin?", "Prabowo Tunjuk
    Sugiono Jadi Menlu, Indonesia Bakal Gabung BRICS?"): a title, a heading or a related link, not a
    paragraph. "Pertanyaannya, apakah pemerintah siap …?" (a comma in its first words) is prose."""
    return text.endswith("?") and headline_like(text, title=True) and "," not in " ".join(text.split()[:3])


def headline_like(text: str, *, title: bool = False) -> bool:
    """Short, few words, no sentence-final punctuation (a title may end in ``?`` or ``!``)."""
    words = len(text.split())
    ends = _TITLE_END if title else _SENTENCE_END
    return (
        (TITLE_MIN_WORDS if title else 1) <= words <= HEADING_MAX_WORDS + (4 if title else 0)
        and len(text) <= HEADING_MAX_CHARS
        and not ends.search(text)
        and (not title or not (_CLOCK.search(text) or _BREADCRUMB.search(text)))
        and (title or not text.endswith(("?", "!")))
    )


#: A listing of other articles: a label ("TERKINI", "Baca Juga"…), then at least this many headline +
#: time-stamp pairs ("Luar Negeri Senin, 16 Jun 2025 | 07:30 WIB"). Its headlines are no title and
#: its dates are other articles' (metadata never reads a ``sidebar`` line).
LISTING_MIN_PAIRS = 2
_LISTING_LABEL = re.compile(
    r"^\W*(terkini|terbaru|terpopuler|populer|trending|rekomendasi|pilihan editor|(baca|lihat|simak) juga|read also|"
    r"berita (terkini|terbaru|terpopuler|terkait|lainnya|populer)|latest( news)?|most (popular|read)|"
    r"related( coverage| stories| articles)?|recommended stories|list \d+ of \d+|tags?|topik|suggested topics|"
    r"artikel(-artikel)? (yang )?direkomendasikan)\W*$",
    re.IGNORECASE,
)


_SUMMARY_LABEL = re.compile(r"^\W*(summary|ringkasan( berita)?|poin penting|key points|highlights)\W*$", re.I)


def summary_label(text: str) -> bool:
    """A label over an article's summary bullets ("Summary", "Ringkasan Berita"): no title under it."""
    return bool(_SUMMARY_LABEL.match(text))


def related_label(text: str) -> bool:
    """A label over links to other articles: "Baca juga:", "Lihat Juga :", "RELATED COVERAGE"."""
    return bool(_LISTING_LABEL.match(text))


#: A stamp saying when the article was updated: not the stamp of another article.
_UPDATED = re.compile(r"^\W*(diperbarui|diperbaharui|update[d]?|pembaruan|terakhir diubah)\b", re.IGNORECASE)


def time_stamp(text: str) -> bool:
    """A line with a clock ("Selasa, 2 September 2025 | 19:48"): a stamp, never a heading."""
    return bool(_CLOCK.search(text))


def _dated_headline(headline: str, stamp: str) -> bool:
    return headline_like(headline, title=True) and time_stamp(stamp) and not _UPDATED.match(stamp)


def dated_headlines(texts: list[str]) -> list[int]:
    """Indexes of the lines in ``texts`` that are a time stamp right after a headline-like line
    ("Judul Berita" / "Kamis, 19 Juni 2025 | 09:15 WIB"). An "updated" stamp does not count."""
    return [j + 1 for j in range(len(texts) - 1) if _dated_headline(texts[j], texts[j + 1])]


def listing_lines(lines: list[str], end: int) -> set[int]:
    """Line indexes before ``end`` that list other articles: after a label line, a run of at least
    ``LISTING_MIN_PAIRS`` headline + time-stamp pairs (blank lines aside).

    Only labelled runs: the article's own header has the same shape (its title, then its stamp).
    An unlabelled header with several dated headlines is left to :mod:`embeddings.metadata`, which
    then cannot tell the article's title and date from the others' and says neither.
    """
    filled = [i for i in range(end) if lines[i]]
    found: set[int] = set()
    for k, i in enumerate(filled):
        if not _LISTING_LABEL.match(lines[i]):
            continue
        run, j = [], k + 1
        while j + 1 < len(filled) and _dated_headline(lines[filled[j]], lines[filled[j + 1]]):
            run += [filled[j], filled[j + 1]]
            j += 2
        if len(run) >= 2 * LISTING_MIN_PAIRS:
            found.update(run)
    return found


def summary_bullets(lines: list[str], end: int) -> set[int]:
    """Line indexes before ``end`` in a run of headline-like lines under a summary label ("Summary",
    "Ringkasan Berita"): bullets, which may be longer than the title above them."""
    found: set[int] = set()
    under = False
    for i in range(end):
        if not lines[i]:
            continue
        if summary_label(lines[i]):
            under = True
        elif under and headline_like(lines[i], title=True):
            found.add(i)
        else:
            under = False
    return found


#: Words of a deck (standfirst): a sentence-case header line this long right under another
#: headline-like line is the deck, and the line above it the title.
DECK_WORDS = 12

_PHOTO_OWNER = re.compile(r"/|\b(Getty|Images|Foto|Photo|AFP|AP|Reuters|REUTERS|Antara|ANTARA|EPA|Shutterstock)\b")


def deck_like(text: str) -> bool:
    """A long line in sentence case ("The ministers also reviewed preparations for the SCO summit…"),
    unlike a headline in title case ("Bertemu Putin di KTT BRICS Kazan, Xi Jinping: Dunia Sedang…")."""
    words = text.split()
    return len(words) >= DECK_WORDS and sum(w[:1].isupper() for w in words) < len(words) / 2


def footer_line(lines: list[str], body: list[int], rule: dict[int, str | None]) -> int | None:
    """The page's copyright line inside the body, if it ends the article: nothing after it is the
    article, since a legal footer can read as prose (TASS's "The information contained on this
    website…"). A photo's copyright ("© 2024 Getty Images", "© Kremlin/TASS") is no footer, nor is
    a line with more paragraphs below it than above."""
    for i in range(body[0], body[-1] + 1) if body else ():
        if rule.get(i) == "copyright" and not _PHOTO_OWNER.search(lines[i]):
            above = sum(1 for j in body if j < i)
            return i if above >= len(body) - above else None
    return None
