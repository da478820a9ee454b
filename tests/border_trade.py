"""Short articles that grow the coverage: more outlets than /help's coverage line holds in one
Telegram message, more relevant paragraphs than ``ask -k`` shows."""

from __future__ import annotations

import json
from pathlib import Path

#: Border towns and goods, combined in turn.
BORDER_TOWNS = [("Vladivostok", "Harbin"), ("Khabarovsk", "Heihe"), ("Blagoveshchensk", "Suifenhe"),
                ("Irkutsk", "Manzhouli"), ("Chita", "Hunchun"), ("Novosibirsk", "Urumqi"), ("Kazan", "Shenyang"),
                ("Omsk", "Dalian")]
BORDER_GOODS = ["gandum", "kedelai", "batu bara", "gas alam cair", "minyak mentah", "kayu olahan", "pupuk kalium",
                "baja canai", "aluminium", "daging sapi", "madu hutan", "ikan beku"]


def border_trade_seed(i: int) -> tuple[str, dict[str, str]]:
    """The ``i``-th short article (a title and one paragraph of Indonesian prose, unique in the corpus,
    that cleaning keeps) and its curated sidecar facts: a long outlet name and a title, both with
    ``<``, ``>`` and ``&``."""
    ru, cn = BORDER_TOWNS[i % len(BORDER_TOWNS)]
    good = BORDER_GOODS[i % len(BORDER_GOODS)]
    title = f"Rusia & China <Sepakati> Jalur {good.title()} Baru via {cn} (Kesepakatan {i + 1})"
    text = "\n".join([
        title,
        f"{ru} - Pejabat perdagangan Rusia dan China pada pekan ini menandatangani kesepakatan ke-{i + 1} tentang "
        f"pengiriman {good} melalui perbatasan dekat {cn}, yang menurut mereka akan menambah volume perdagangan "
        f"sebesar {12 + 7 * i} ribu ton dalam tahun pertama dan membuka kembali jalur kereta yang selama ini "
        f"jarang digunakan sejak {2020 + i % 6}.",
    ])
    outlet = (f"Warta {ru} & {cn} <Edisi Perbatasan {i + 1:02d}> — Kantor Berita Ekonomi, Energi & Perdagangan "
              "Rusia–China di Timur Jauh")
    facts = {"outlet": outlet, "title": title, "date": f"{2024 + i % 2}-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
             "date_basis": "published"}
    return text, facts


def add_border_trade_articles(seeds_dir: Path, count: int) -> list[str]:
    """Write ``count`` of :func:`border_trade_seed`'s articles into ``seeds_dir``, each curated in its
    ``sources.toml``; returns their outlets."""
    sidecar = seeds_dir / "sources.toml"
    outlets, entries = [], []
    for i in range(count):
        text, facts = border_trade_seed(i)
        (seeds_dir / f"9{i:02d}_perdagangan_perbatasan.txt").write_text(text, encoding="utf-8")
        fields = "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in facts.items())
        entries.append(f"\n[9{i:02d}_perdagangan_perbatasan]\n{fields}")  # JSON strings are TOML strings here
        outlets.append(facts["outlet"])
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "".join(entries), encoding="utf-8")
    return outlets
