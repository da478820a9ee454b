"""Photos, charts and videos inside a page: which line is a photo's caption (read off the credit under
it), and which headline-like line titles a chart or a video rather than a section (read off the source
line or the duration under it). A photo's credit can say either: "Sumber: Istimewa" under a section
heading credits the photo between the heading and its prose; "Sumber: Administrasi Umum Kepabeanan
China" under a headline-like line names a chart's data. The one-line rules for captions and credits
(``photo-caption``, ``label``) are in :mod:`embeddings.chrome`; :mod:`embeddings.cleaning` applies these.
"""

from __future__ import annotations

import re

from .chrome import AGENCY, SOURCE_LABEL, bare_credit, image_credit
from .dates import is_stamp

#: A credit on a line of its own ("Foto: Sergei Guneyev, Sputnik, Kremlin Pool Photo via AP"): the
#: line before it is the caption.
_CREDIT_LINE = re.compile(rf"^\W*(?i:foto|photo)\s*:\s*(?=.*\b{AGENCY}\b)\S.{{0,80}}$")
#: A source label alone on its line ("Sumber :", "Foto:"): with a bare credit under it, the line above
#: the label is a caption (Viva: caption / "Sumber :" / "Sputnik/Vyacheslav Prokofyev/Pool via REUTERS").
_CREDIT_LABEL = re.compile(r"^\W*(?i:sumber|source|foto|photo)\s*:\s*$")
#: Longest line read as a caption above a bare "Sumber :" label: a photo with no caption of its own
#: leaves the paragraph above the label, and that is no caption.
CAPTION_MAX_CHARS = 160
#: Where the people in a photo stand, in brackets or between commas: "Xi Jinping (kanan) berjabat
#: tangan dengan …", "(kiri ke kanan)", "(dua dari kiri)", "(ki-ka)", "(right)", "Ma Zhaoxu, centre,
#: …". 16 of the 48 captions in the new-site pages say it; none of their 387 paragraphs, nor any
#: seed line, does: a story's prose places no one in a picture. A caption's own label ("ILUSTRASI.",
#: "Arsip foto -", "File photo:") says it too.
_IN_PICTURE = re.compile(
    r"\((?:ki-ka|ka-ki|(?:\w+ dari )?(?:kiri|kanan)(?: ke (?:kiri|kanan))?|tengah|left|right|cent(?:er|re)|"
    r"(?:second |third )?from (?:left|right))\)|,\s(?:left|right|cent(?:er|re)),\s|"
    r"^\W*(?:ilustrasi|arsip foto|foto arsip|file photo)\b\W",
    re.IGNORECASE,
)


def describes_photo(text: str) -> bool:
    """A line that says what a photo shows: who stands where ("(kanan)", ", left,") or a caption's
    label ("ILUSTRASI."). A scene and a place and date ("… berjabat tangan di Beijing, Kamis
    (16/5/2024).") do not count: news prose reports handshakes, places and dates too."""
    return bool(_IN_PICTURE.search(text))


def captions(lines: list[str]) -> set[int]:
    """Indexes of the captions above a photo's credit: the line above a credit on its own line
    (:func:`credit_line`), a caption-long line above a source label and a bare credit ("Sumber :" /
    "Sputnik/…/Pool via REUTERS"), or a line that describes a photo (:func:`describes_photo`) above a
    bare credit ("ANTARA FOTO/Galih Pradipta") or a photo's "Sumber: …" line. Above those two alone,
    nothing else: a photo with no caption leaves the paragraph above its credit, and a short one reads
    like a caption. Never a time stamp: a lead photo's credit right under the page's stamp leaves the
    stamp the date."""
    filled = [i for i, t in enumerate(lines) if t]
    found = {above for above, i in zip(filled, filled[1:], strict=False)
             if credit_line(lines[i]) or ((bare_credit(lines[i]) or image_credit(lines[i]))
                                          and describes_photo(lines[above]))}
    found |= {filled[k] for k in range(len(filled) - 2) if _CREDIT_LABEL.match(lines[filled[k + 1]])
              and bare_credit(lines[filled[k + 2]]) and len(lines[filled[k]]) <= CAPTION_MAX_CHARS}
    return {i for i in found if not is_stamp(lines[i])}


def credit_line(text: str) -> bool:
    """A photo credit alone on its line, naming an agency ("Foto: Sergei Guneyev, Sputnik, Kremlin Pool
    Photo via AP"): the line above it is a caption (see :mod:`cleaning`). A caption that starts with
    "Foto:" ("Foto: Ilustrasi bendera ASEAN (iStock)") is one line, and says nothing of the line above."""
    return bool(_CREDIT_LINE.match(text))


#: What sits under a chart's or an embedded video's title: its source ("Sumber: Administrasi Umum
#: Kepabeanan China") or its duration ("01:52"). A section heading has prose under it.
_MEDIA_LABEL = re.compile(rf"{SOURCE_LABEL}|^\d{{1,2}}:\d{{2}}(?::\d{{2}})?$")


def media_label(text: str) -> bool:
    """A chart's source line or a video's duration: the headline-like line above it is no heading.
    A photo's credit ("Sumber: Istimewa", "Sumber: Dok. Kemlu", "Sumber: Reuters/Evgenia
    Novozhenina") is not one: a section heading often has its photo between it and its prose."""
    return bool(_MEDIA_LABEL.match(text)) and not image_credit(text)
