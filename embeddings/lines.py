"""The shapes of scraped lines and the runs of them that give a page its structure: whether a line
is shaped like a headline, a question headline, a deck or a time stamp; listings of other articles,
related-article labels, the footer; the header's deck and summary box and the boxes a page offers to
skip (named as rules: ``deck``, ``summary-box``, ``skipped-box``); the sentences jusText drops that the
paragraphs beside them vouch for. The one-line chrome rules are in :mod:`embeddings.chrome`, photos'
captions and charts' titles in :mod:`embeddings.captions`, page breaks in :mod:`embeddings.pagination`;
:mod:`embeddings.cleaning` combines them with jusText's classification.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .chrome import AGENCY
from .dates import is_stamp

HEADING_MIN_WORDS = 2  # a lone word between paragraphs ("Advertisement", "Komentar") is no heading
HEADING_MAX_WORDS = 16
TITLE_MIN_WORDS = 3
HEADING_MAX_CHARS = 150
_SENTENCE_END = re.compile(r"[.:;,…]['\"’”)]*$")
_TITLE_END = re.compile(r"[.:;,…]$")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
#: "Home > Internasional > Asia", "Beranda » Dunia": a path through the site, not a title.
_BREADCRUMB = re.compile(r"\s[>»›/]\s|^\W*(home|beranda)\s*[>»›/|]", re.I)


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
    r"berita (terkini|terbaru|terpopuler|terkait|lainnya|populer)|latest( news)?|most (popular|read|viewed)|"
    r"related( coverage| stories| articles)?|recommended stories|list \d+ of \d+|tags?|topik|suggested topics|"
    r"artikel(-artikel)? (yang )?direkomendasikan)\W*$",
    re.IGNORECASE,
)


_SUMMARY_LABEL = re.compile(r"^\W*(summary|ringkasan( berita)?|poin penting|key points|highlights)\W*$", re.I)


def summary_label(text: str) -> bool:
    """A label over an article's summary bullets ("Summary", "Ringkasan Berita"): see :func:`header_chrome`."""
    return bool(_SUMMARY_LABEL.match(text))


def related_label(text: str) -> bool:
    """A label over links to other articles: "Baca juga:", "Lihat Juga :", "RELATED COVERAGE"."""
    return bool(_LISTING_LABEL.match(text))


#: A stamp saying when the article was updated: not the stamp of another article.
_UPDATED = re.compile(r"^\W*(diperbarui|diperbaharui|update[d]?|pembaruan|terakhir diubah)\b", re.IGNORECASE)


def updated_stamp(text: str) -> bool:
    """"Diperbarui: Jumat, 6 Februari 2026 08:15 WIB", "Updated …": when the page changed, not when it appeared."""
    return bool(_UPDATED.match(text))


def has_clock(text: str) -> bool:
    """A line with a clock ("Selasa, 2 September 2025 | 19:48"): a stamp, never a heading."""
    return bool(_CLOCK.search(text))


def _dated_headline(headline: str, stamp: str) -> bool:
    return headline_like(headline, title=True) and has_clock(stamp) and not updated_stamp(stamp)


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


#: Words of a deck (standfirst): a sentence-case header line this long right under another
#: headline-like line is the deck, and the line above it the title.
DECK_WORDS = 10

#: A copyright line that names a photo's owner ("© Getty Images", "Copyright AFP/…") is the photo's,
#: not the page's footer.
_PHOTO_OWNER = re.compile(rf"/|\b(?:{AGENCY}|Images|Shutterstock)\b")


def deck_like(text: str) -> bool:
    """A long line in sentence case ("The ministers also reviewed preparations for the SCO summit…"),
    unlike a headline in title case ("Bertemu Putin di KTT BRICS Kazan, Xi Jinping: Dunia Sedang…")."""
    return len(text.split()) >= DECK_WORDS and sentence_case(text)


def sentence_case(text: str) -> bool:
    """Fewer than half the words capitalised: prose, not a headline in title case or a run of names."""
    words = text.split()
    return sum(w[:1].isupper() for w in words) < len(words) / 2


def footer_line(lines: list[str], body: list[int], rule: dict[int, str | None]) -> int | None:
    """The page's copyright line or a wire story's closing credit ("… contributed to this report.")
    inside the body, if it ends the article: nothing after it is the article, since a legal footer or
    an author's bio can read as prose (TASS's "The information contained on this website…", AP's
    "Leung is an Associated Press reporter based in Beijing…"). A photo's copyright ("© 2024 Getty
    Images", "© Kremlin/TASS") is no footer, nor is a line with more paragraphs below it than above,
    nor a closing credit with more than ``CREDIT_MAX_TRAILING`` of them below (then it reports one
    part of the story: "Al Jazeera's Katrina Yu reported from Beijing." mid-article). A line that is
    no footer does not stop the search for one further down."""
    for i in range(body[0], body[-1] + 1) if body else ():
        if rule.get(i) == "closing-credit" or rule.get(i) == "copyright" and not _PHOTO_OWNER.search(lines[i]):
            above = sum(1 for j in body if j < i)
            below = len(body) - above
            if above >= below and (rule.get(i) == "copyright" or below <= CREDIT_MAX_TRAILING):
                return i
    return None


#: Most body lines under a wire story's closing credit that are its tail (an author's bio, the
#: agency's blurb), not more of the story.
CREDIT_MAX_TRAILING = 2


#: A line shaped as a sentence: a capital, a digit or an opening quote first; ".", "!" or "?" last
#: (a closing quote or bracket after it allowed).
_SENTENCE = re.compile(r"^[\"'“‘(]?[A-Z0-9].*[.!?][\"'”’)]*$")
#: Fewest words of a sentence the article's neighbours can vouch for: "Semoga bermanfaat." is no paragraph.
STRAY_MIN_WORDS = 6
#: Stop-word density a sentence between two paragraphs needs (jusText's floor is 0.30): names and
#: figures lower it, but a line with almost none (a caption of names) is no sentence of the story.
STRAY_MIN_STOPWORDS = 0.2


def story_sentence(text: str) -> bool:
    """A line a story's sentence could be: ``STRAY_MIN_WORDS`` or more words, shaped as a sentence, in
    sentence case (jusText's Indonesian list holds "Tim", "Jakarta" and "Indonesia": a credit of names
    can have a prose's density, never its lower-case words), no headline."""
    return (len(text.split()) >= STRAY_MIN_WORDS and bool(_SENTENCE.match(text))
            and not headline_like(text, title=True) and sentence_case(text))


def stray_sentences(lines: list[str], content: list[int], *, dropped: set[int], credits: set[int], short: set[int],
                    density: Callable[[str], float], good: float) -> set[int]:
    """Indexes of sentence-shaped lines jusText dropped but the article's neighbours vouch for.

    ``content``: the content paragraphs (sorted); ``dropped``: lines a named rule drops (they are
    no neighbours: an ad or a related link splits the article's flow); ``credits``: the dropped lines
    that are a photo's caption or credit (the line right above one is that photo's caption, never
    rescued: "… near Chasiv Yar, on June 3." / "Photograph: Gleb Garanich/Reuters"); ``short``: lines jusText
    found too short to judge alone; ``density``: a line's stop-word density; ``good``: jusText's
    density for prose. A line is kept if it is a :func:`story_sentence` and

    * it sits between two content paragraphs with only dropped lines between, with a density of at
      least ``STRAY_MIN_STOPWORDS`` (jusText judges each line alone by its stop words: a sentence of
      names, "Khamenei has rejected talks under pressure, …", fell just under its floor); or
    * it is short, directly under a content paragraph, with prose's density ``good``: jusText calls
      a short line bad when the next line is chrome, so an article's one-sentence last paragraph
      before a related link ("Hingga kini China belum pernah mengecam invasi Rusia ke Ukraina.") was lost.
    """
    kept = set(content)
    found: set[int] = set()
    for i, t in enumerate(lines):
        if not t or i in kept or i in dropped or not story_sentence(t):  # a headline, a caption or credit of names
            continue
        before = next((j for j in range(i - 1, -1, -1) if lines[j] and j not in dropped), None)
        after = next((j for j in range(i + 1, len(lines)) if lines[j] and j not in dropped), None)
        adjacent = next((j for j in range(i - 1, -1, -1) if lines[j]), None)
        if next((j for j in range(i + 1, len(lines)) if lines[j]), None) in credits:
            continue
        if before in kept and after in kept and density(t) >= STRAY_MIN_STOPWORDS:
            found.add(i)
        elif adjacent in kept and i in short and density(t) >= good:
            found.add(i)
    return found


#: Most lines a summary box holds (its bullets and a note under them): an article in short paragraphs
#: under a "Highlights" heading is not swallowed whole.
SUMMARY_MAX_LINES = 4
#: The note that ends a summary box.
_SUMMARY_NOTE = re.compile(r"\b(?:ringkasan|summary|AI)\b", re.IGNORECASE)
#: Longest line under a deck that is read as the header's time stamp (a paragraph that mentions
#: "pukul 21.40" is no stamp, nor is a short sentence: "Pesawatnya mendarat pukul 09.30 waktu setempat.").
STAMP_MAX_CHARS = 60
#: Longest line a summary bullet or a deck is: jusText's ``length_high``, over which a line is a paragraph.
SUMMARY_MAX_CHARS = 200
#: Fewest words a summary bullet has: a menu item under a "Highlights" label has one or two.
SUMMARY_MIN_WORDS = 4


def _bullet(text: str) -> bool:
    """A line a summary box can hold: a short statement, no time stamp (the page's stamp ends the box)."""
    return (SUMMARY_MIN_WORDS <= len(text.split()) and len(text) <= SUMMARY_MAX_CHARS
            and not is_stamp(text) and not has_clock(text))


def header_chrome(lines: list[str], jt: dict[int, str], rule: dict[int, str | None]) -> dict[int, str]:
    """The header's decks and summary boxes, by line index, as rule names (``deck``, ``summary-box``).

    Only before the page's first long paragraph (jusText's ``good`` on its own):

    * ``summary-box``: a summary label ("Ringkasan Berita", "Key points") and the short lines under it
      (up to ``SUMMARY_MAX_LINES``, to a rule line or a paragraph), the bullets and a note ("Ringkasan
      ini dibuat secara otomatis dengan bantuan AI…"): a restatement of the article, often machine-written.
    * ``deck``: a short sentence-case line right under a headline and right above the header's time stamp
      or byline (headline, standfirst, date): the standfirst, not the lede, which comes after the stamp.
    """
    filled = [i for i, t in enumerate(lines) if t]
    found: dict[int, str] = {}
    box = 0  # lines left in an open summary box
    for k, i in enumerate(filled):
        t = lines[i]
        if jt.get(i) == "good" and not rule[i]:  # a long caption is no paragraph
            break
        if summary_label(t) and not rule[i]:
            if k + 1 < len(filled) and _bullet(lines[filled[k + 1]]):  # not a menu item ("Highlights")
                found[i], box = "summary-box", SUMMARY_MAX_LINES
            continue
        if box and not rule[i] and _bullet(t):
            # the box's own note ("Ringkasan ini dibuat … AI", "This summary was generated…") closes it
            found[i], box = "summary-box", 0 if _SUMMARY_NOTE.search(t) else box - 1
            continue
        box = 0
        above, below = (lines[filled[k - 1]] if k else ""), (filled[k + 1] if k + 1 < len(filled) else None)
        if (not rule[i] and jt.get(i, "").endswith("(neargood)") and sentence_case(t)
                and headline_like(above, title=True) and below is not None
                and (is_stamp(lines[below]) or rule[below] == "byline"
                     or (has_clock(lines[below]) and len(lines[below]) <= STAMP_MAX_CHARS
                         and not _SENTENCE.match(lines[below])))):
            found[i] = "deck"
    return found


#: A skip link over a box ("Lewati Whatsapp dan lanjutkan membaca", "Skip Podcast and continue
#: reading") and the marker that closes it ("Akhir dari Whatsapp", "End of Podcast").
_SKIP = re.compile(r"^\W*(?:lewati|skip) (?P<box>.{1,60}?) (?:dan lanjutkan membaca|and continue reading)\W*$", re.I)
_BOX_END = re.compile(r"^\W*(?:akhir dari|end of) (?P<box>.{1,60}?)\W*$", re.I)
#: Most lines a skipped box holds: a skip link with no end marker near it marks no box.
SKIPPED_MAX_LINES = 8


def skipped_boxes(lines: list[str]) -> dict[int, str]:
    """The lines of a box the page itself offers to skip, from its skip link to its end marker naming
    the same box (at most ``SKIPPED_MAX_LINES`` lines apart), as the rule ``skipped-box``: a promotion
    ("Akun resmi kami di WhatsApp" / "Liputan mendalam BBC News Indonesia langsung di WhatsApp Anda.")
    or a list of other articles, never the story the reader is sent back to."""
    filled = [i for i, t in enumerate(lines) if t]
    found: dict[int, str] = {}
    for k, i in enumerate(filled):
        if m := _SKIP.match(lines[i]):
            box = m["box"].casefold()
            for n, j in enumerate(filled[k + 1 : k + 1 + SKIPPED_MAX_LINES], start=k + 1):
                if (end := _BOX_END.match(lines[j])) and end["box"].casefold() == box:
                    found.update((f, "skipped-box") for f in filled[k : n + 1])
                    break
    return found
