"""Site chrome by name: the rules for what jusText misses, each a pattern or a small test on one line.

A rule drops a line wherever it sits (a caption, a byline, a share button, a newsletter offer…);
``clean --explain`` names the rule. :mod:`embeddings.metadata` also keeps rule lines out of its date
search. Each rule errs towards keeping prose: a kept chrome line is quoted as the outlet's words, but
a dropped paragraph is lost, so tests pin news prose that resembles each rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable


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
    r"hapus komentar\W*$|(ikuti|simak) (kami|kanal|saluran|akun|berita|update|info) \S.*\b(google news|whatsapp|"
    r"telegram|instagram|facebook|tiktok|youtube|kanal|saluran)\b|dapatkan (berita|update|informasi|info)\b.*"
    r"\b(whatsapp|telegram|google news|kanal|saluran|aplikasi)\b|dapatkan (berita|update|informasi|info) "
    r"(terbaru|terkini|menarik)\b|jangan lewatkan (berita|update|informasi|artikel)\b|"
    r"artikel ini (telah )?(tayang|terbit|dimuat)\b|semoga (informasi|artikel|berita|ulasan) ini bermanfaat\b|"
    r"follow\b.*\b(google news|whatsapp|telegram|instagram)\b|sign up (for|to)\b|"
    r"subscribe (to|for|now)\b|by (submitting|signing up)\b|to (read|continue reading)\b.*\bsubscribe\b",
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
_WIRE = r"(?:AFP|AP|REUTERS|Reuters|ANTARA|Antara|SPUTNIK|Sputnik|XINHUA|Xinhua|EPA)"
_PHOTO_SIGN = r"Photo|PHOTO|Foto|FOTO|POOL|Pool|HANDOUT|Handout|Getty Images"
AGENCY = rf"(?:{_WIRE}|{_PHOTO_SIGN})"
#: The start of a source line under a chart or a photo ("Sumber: …", "Source: …").
SOURCE_LABEL = r"^\W*(?i:sumber|source)\s*:"
#: A credit at the end of a caption: in brackets, naming an agency with a slash or "via"
#: ("(AFP/HANDOUT)", "(Maxim Shemetov/Pool Photo via AP)", "[Alexander Zemlianichenko/POOL/AFP]"), or
#: after the caption's last full stop ("… bersama. Foto/Kementerian Pertahanan Jepang",
#: "… Peskov. REUTERS/Maxim Shemetov"). "(AS/NATO)", "dikutip AFP/Reuters." and a closing source tag
#: ("(AFP/Z-2)", "(Reuters/AFP)") are prose: a bracket needs a photo word or a photographer's name.
_PHOTO_WORD = rf"(?:{_PHOTO_SIGN}|via [A-Z]\w*)"
_PHOTO_CREDIT = re.compile(
    rf"[(\[](?=[^()\[\]]*(?:\b{_PHOTO_WORD}\b|\b{_WIRE}\s?/\s?[A-Z][\w'’-]+\s[A-Z]|"
    rf"[A-Z][\w'’-]+\s[A-Z][\w'’-]+\s?/\s?{_WIRE}\b))"
    rf"(?=[^()\[\]]*(?:/|\bvia\b))[^()\[\]]{{2,90}}[)\]]\W*$|"
    rf"\.\s+(?:{AGENCY}|ANTARA FOTO|AP Photo)\s?/[^.]{{2,60}}\.?$|"
    # "… di Vientiane, Laos. (x.com/mfa_russia)": a social-media account as the credit
    r"\.\s*\((?:x|twitter|instagram|facebook)\.com/\w+\)\W*$|"
    # "… Rabu (3/7/2024).(AFP/Sputnik)": two agencies glued to the caption's last stop
    rf"[.)]\({_WIRE}\s?/\s?(?:{_WIRE}|Sputnik|SPUTNIK|Kremlin)\)\W*$|"
    # "… Selasa (22/10)Foto: Alexander Zemlianichenko/POOL/AFP" (DW), "… ©REUTERS/Maxim Shemetov" (Merdeka),
    # "… in Beijing on Feb 4, 2022. PHOTO: REUTERS" (The Straits Times),
    # "… di Beijing. - Bloomberg" (Bisnis)
    r"(?:\b(?:Foto|FOTO|Photo|PHOTO|Photograph)\s?:|©)\s?[A-Z][^.:]{1,80}$|\.\s[-–—]\s[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2}$"
)
#: "Foto: …", "Keterangan gambar, …" (BBC), "Item 1 of 2 …" / "[1/2]…" (a gallery), Kompas's
#: "Lihat Foto" button.
_PHOTO_LABEL = re.compile(
    r"^\W*((foto|photo|gambar)\s*:|(keterangan|sumber) (gambar|foto)\s*,|item \d+ of \d+\b|lihat foto\W*$)|"
    r"^\[\d+/\d+\]", re.I)
#: A whole line that is a credit: slashes and an agency or photo word, no sentence
#: ("Sputnik/Vyacheslav Prokofyev/Pool via REUTERS").
_CREDIT_ONLY = re.compile(rf"^(?=[^.]*/)(?=.*\b(?:{_PHOTO_WORD}|{_WIRE})\b)[^.!?]{{3,80}}$")


def _photo_caption(text: str) -> bool:
    """"Foto: Presiden …", a gallery's "Item 1 of 2 …", or a line ending in a photo credit: a
    caption describes a photo (often an older one, with its own date), not the story."""
    return bool(_PHOTO_LABEL.match(text) or _PHOTO_CREDIT.search(text) or _CREDIT_ONLY.match(text))


def bare_credit(text: str) -> bool:
    """A whole line that is a photo's credit and nothing else ("ANTARA FOTO/Galih Pradipta",
    "Sputnik/Vyacheslav Prokofyev/Pool via REUTERS"): see :mod:`embeddings.captions` for the line above it."""
    return bool(_CREDIT_ONLY.match(text))


#: A source line that credits a photo, not a chart's data: "Sumber: Istimewa" (a photo given to the
#: outlet), "Sumber: Dok. Kemlu" (from an archive), "Sumber: Reuters/Evgenia Novozhenina" (an agency and
#: its photographer), a photo library. "Sumber: Administrasi Umum Kepabeanan China" names where figures
#: come from, "Sumber: Reuters" or "Sumber : Kompas TV/Xinhua/TASS" where a text came from: neither is one.
_IMAGE_CREDIT = re.compile(
    rf"(?=.{{0,100}}$){SOURCE_LABEL}.*?(?:(?i:\b(?:istimewa|dokumentasi|tangkapan layar|screenshot|getty images|"
    rf"shutterstock|istock|unsplash|freepik|foto|photo)\b|\bdok\.)|\b{AGENCY}\s?/\s?[A-Z][\w'’-]+\s[A-Z][\w'’-]+)")


def image_credit(text: str) -> bool:
    """A "Sumber: …" line that credits a photo (see ``_IMAGE_CREDIT``): the line above it is no chart's title."""
    return bool(_IMAGE_CREDIT.match(text))


#: "Penulis: Nama", "Editor Hendra Wicaksono", "By Guy Faulconbridge", "Melaporkan dari, Jakarta": a
#: label and a name, nothing else; or a wire story's closing "Reporting by Daria Volkova …".
_BYLINE = re.compile(
    r"^\W*(?i:penulis|editor|reporter|pewarta|kontributor|oleh|by|melaporkan dari)\s*[:|,]?\s+"
    r"[A-Z][\w.'’-]*(?:\s+(?:and|dan|&|[A-Z][\w.'’-]*),?)*\s*$|"
    r"^\W*(?i:(additional )?(reporting|writing|editing) by)\s+[A-Z][\w'’-]+\s+[A-Z]|"
    # "Nadya Kurnia Pertiwi - Bisnis.com", "Dewi Anggraini - detikNews"
    r"^[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){0,3}\s[-–—|]\s(?:[\w-]+\.(?:com|co\.id|id|net)|[a-z]+[A-Z]\w+)$"
)
#: A wire story's closing credit: "Orlova reported from Moscow.", "Associated Press writer Ken Yamada in
#: Tokyo contributed to this report." (not "Three agencies contributed to this report": a writer's).
_CLOSING_CREDIT = re.compile(
    r"^(?=.{0,250}$)(?:(?:[A-Z][\w'’.-]*\s){1,4}(?:writers?|reporters?|correspondents?|journalists?)\b"
    r"(?:[^.]|(?<=\b[A-Z])\.){0,80}\bcontributed (?:to this report|reporting)\.?$|"
    r"[A-Z][\w'’-]+(?:,? (?:and )?[A-Z][\w'’-]+)* reported (?:from|in) [A-Z][\w'’-]+(?:,? [A-Z][\w'’-]+){0,3}\."
    r"(?:\s[^.]*\bcontributed\b[^.]*\.)?$)")
#: Share buttons: "Bagikan :", "url telah tercopy", "Share this article".
_SHARE = re.compile(r"^\W*(bagikan|share( this)?( article| story)?|url telah tercopy|salin tautan|copy link)\W*$", re.I)
#: A label of one or two words and a colon, alone ("Tags :", "Halaman:", "Suggested Topics:"), or a
#: chart's or photo's source line ("Sumber: Administrasi Umum Kepabeanan China", "Sumber: Dok. Kemlu"; one
#: with a date, "Source: Xinhua| 2025-05-08 23:51:20", is the page's stamp).
_LABEL = re.compile(rf"^\W*\w+(\s\w+)?\s*:\s*$|{SOURCE_LABEL}[^.\d]{{0,80}}$|{_IMAGE_CREDIT.pattern}")
#: Buttons and markers: "Show more", "Report This Ad", "…, opens new tab", "Akhir dari Artikel…",
#: "end of list", reading times ("Dibaca normal 2 menit").
_WIDGET = re.compile(
    r"^\W*((show|load|read) more|lihat (semua|lainnya)|klik di sini|click here|tampilkan lebih banyak|"
    r"report this ad|end of list|akhir dari (artikel|iklan|whatsapp|podcast|video|konten)\b.{0,50}|"
    r"purchase licensing rights.*|dibaca normal \d+ menit|\d+ min(ute)?s? read|waktu baca \d+ menit|"
    r"this browser does not support the video element|halaman (selanjutnya|berikutnya)|next page|"
    r"this article is more than \d+ (year|month)s? old)\W*$|"
    r"opens new tab\W*$|"
    # an offer that ends in its button: "Baca berita dengan sedikit iklan, klik di sini"
    r"^.{0,80}[,.:]\s*(klik di sini|click here)\W*$", re.I)
#: An appeal for the reader's support, however long: "I hope you appreciated this article. Before you
#: move on…", "We have no shareholders or billionaire owner…" (The Guardian).
_APPEAL = re.compile(r"^\W*(i hope you appreciated this article|we have no shareholders|"
                     r"(please )?(support|dukung) (the guardian|our journalism|jurnalisme))\b", re.I)
#: A newsletter offer: "… newsletter … Sign up here.", "Dengan mendaftar di newsletter Okezone".
_NEWSLETTER = re.compile(r"^(?=.*\b(newsletter|buletin)\b)(?=.*\b(sign up|subscribe|subscription|mendaftar|"
                         r"berlangganan|inbox)\b).{0,250}$|"
                         r"^.{0,150}\bdelivered (straight |directly )?to your inbox\W*$", re.I)

#: What jusText misses, by name. Each rule drops a line wherever it sits. jusText alone kept
#: 004's mid-body "Baca Juga" (short, between good paragraphs), 000's "Lihat Asli" and disclaimer
#: (stop-word-rich prose) and 004's photo caption; the WordPress chrome lines and adverts are there
#: so they can never be taken for a title or a heading. ``photo-caption`` to ``appeal`` came from
#: pages of other sites (tests/data/new_sites, docs/how-it-works.md, "New coverage from other sites").
RULES: tuple[tuple[str, re.Pattern[str] | Callable[[str], bool]], ...] = (
    # related-article links: "Baca juga …", "Baca: …", "Pilihan Editor: …"; and in English
    ("baca-juga", re.compile(r"^\W*((baca|lihat|simak)\s+juga\b|(baca|simak)\s*:|pilihan editor\s*:)", re.I)),
    ("read-more", re.compile(r"^\W*(read\s+(more|also)|also\s+read|see\s+also|related(\s+\w+)?)\s*:|"
                             r"^\W*related (coverage|stories|articles)\W*$", re.I)),
    ("lihat-asli", re.compile(r"^\W*lihat\s+(asli|selengkapnya|artikel\s+asli)\W*$", re.I)),  # view original
    ("disclaimer", re.compile(r"konten pihak ketiga|lihat penafian|^\W*disclaimer\s*:", re.I)),
    ("site-icon", re.compile(r"^site icon\b|^exit mobile version$|^(skip to|lewati ke|lompati ke)\b.{0,40}$", re.I)),
    ("advert", re.compile(r"^\W*((advertisement|iklan)(\W+scroll\b.*)?|"
                          r"scroll (down |ke bawah )?(to|untuk) (continue|melanjutkan)\b.*)$", re.I)),
    ("caption-repeat", _self_repeating),
    ("photo-caption", _photo_caption),
    ("byline", _BYLINE),
    ("closing-credit", _CLOSING_CREDIT),
    ("share", _SHARE),
    ("label", _LABEL),
    ("widget", _WIDGET),
    ("newsletter", _NEWSLETTER),
    ("appeal", _APPEAL),
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
