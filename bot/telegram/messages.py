"""The bot's fixed user-facing texts, in Indonesian (default) and English, as Telegram HTML, and
the replies built around them from the core's records: the coverage line, the ``/reindex`` report
and ``/stats``.

:func:`render` fills the placeholders and escapes every value with :func:`html.escape`, so a dynamic
string cannot inject markup by accident. Error texts embedded in a reply are cut to
:data:`MAX_ERROR_CHARS` first (see :func:`error_detail`), so such a reply stays far below 4096.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from babel.dates import format_datetime, format_timedelta

from bot.formatting import coverage_facts, e, shorten, word
from bot.language import Lang, format_count, format_seconds, resolve_lang
from bot.staleness import seed_changes_note
from embeddings.records import Article, IndexReport, SkippedFile

if TYPE_CHECKING:  # embeddings.service loads the model stack
    from embeddings.service import IndexStats

#: How much of an error text is shown in a reply (cut before escaping; the full text is logged).
MAX_ERROR_CHARS = 500


TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "start": "Halo! Saya menjawab pertanyaan tentang liputan media Indonesia mengenai hubungan "
        "Rusia–China, dengan <b>kutipan kata per kata</b> dari artikel yang diindeks, masing-masing "
        "dengan nama media dan tanggalnya.",
        "coverage": "📚 Liputan yang diindeks: <b>{count}</b> {articles} dari {outlets}, {span}.",
        "no_coverage": "📚 Belum ada artikel yang diindeks.",
        "how_to": "<b>Cara bertanya</b>\nKirim pertanyaan Anda sebagai pesan biasa (di grup: "
        "<code>/ask pertanyaan</code> atau sebut saya). Saya membalas dengan kutipan bernomor, kata per kata "
        "dari artikelnya, masing-masing dengan nama media dan tanggalnya; tombol "
        "«Lainnya» (atau, di obrolan pribadi, mengetik <i>lagi</i>) menampilkan hasil berikutnya. Jika "
        "liputan tidak menjawab, saya katakan terus terang.",
        "examples": "<b>Contoh</b>\n• Apa sikap Putin soal Taiwan?\n• Apa yang dibahas Putin dan Xi "
        "mengenai Timur Tengah?\n• Mengapa Rusia mengalihkan ekspornya ke Asia?",
        "commands": "<b>Perintah</b>\n/ask — ajukan pertanyaan\n/sources — daftar artikel yang "
        "diindeks\n/help — bantuan ini",
        "ask_usage": "Tulis pertanyaannya setelah perintah, misalnya: <code>/ask Apa sikap Putin soal "
        "Taiwan?</code>",
        "not_a_question": "Saya hanya bisa menjawab pertanyaan yang ditulis dengan kata-kata. "
        "Contoh: <i>Apa sikap Putin soal Taiwan?</i>",
        "throttled": "Pelan-pelan 🙂 Anda sudah mengirim {limit} permintaan (pertanyaan atau «Lainnya») "
        "dalam satu menit. Silakan coba lagi dalam {seconds} detik.",
        "non_text": "Saya hanya membaca pertanyaan berupa teks — stiker, foto, dan berkas tidak "
        "saya proses. Kirim pertanyaan Anda sebagai pesan teks.",
        "edited": "Pesan yang disunting tidak saya jawab ulang. Kirim pertanyaan yang sudah "
        "diperbaiki sebagai pesan baru.",
        "unknown_command": "Perintah tidak dikenal. Ketik /help untuk melihat yang bisa saya lakukan.",
        "error": "Maaf, terjadi kesalahan saat memproses pesan Anda. Silakan coba lagi sebentar lagi.",
        "index_unavailable": "Maaf, indeks sedang tidak tersedia. Silakan coba lagi nanti.",
        "index_building": "⏳ Indeks sedang dibangun. Silakan coba lagi sebentar lagi.",
        "index_failed": "Liputan belum tersedia: pembangunan indeks gagal. Admin bot perlu memperbaikinya; "
        "sampai itu, pertanyaan belum bisa dijawab.",
        "more_button": "Lainnya ▸",
        "more_expired": "Pertanyaan ini sudah kedaluwarsa. Silakan kirim ulang pertanyaannya.",
        "more_none": word("id", "no_more"),
        "more_shown": "Halaman ini sudah atau sedang dikirim.",
        "more_nothing": "Tidak ada kutipan lain untuk ditampilkan. Ajukan pertanyaan; bila ada kutipan lain, "
        "tombol «Lainnya» di bawah jawabannya (atau mengetik <i>lagi</i>) menampilkannya.",
        "more_stale": "Indeks sudah diperbarui sejak pertanyaan ini diajukan, jadi urutan hasilnya berubah. "
        "Kirim ulang pertanyaannya untuk hasil terbaru.",
        "admin_only": "Maaf, perintah ini hanya untuk admin bot.",
        "admin_private": "Perintah admin hanya di obrolan pribadi dengan saya: laporannya memuat detail "
        "server yang tidak untuk grup.",
        "reindex_started": "🔄 Pengindeksan ulang dimulai. Saya tetap menjawab dari indeks lama "
        "sampai selesai.",
        "reindex_started_first": "🔄 Pengindeksan dimulai. Belum ada indeks lama: pertanyaan dijawab "
        "setelah selesai.",
        "reindex_running": "⏳ Pengindeksan ulang sedang berjalan; tunggu sampai selesai.",
        "reindex_elsewhere": "⏳ Proses lain (misalnya <code>coverage-bot index</code>) sedang mengindeks ulang. "
        "Hasilnya dipakai mulai pertanyaan pertama setelah selesai; kirim /reindex lagi sesudahnya bila masih perlu.",
        "reindex_done": "✅ Pengindeksan ulang selesai dalam {seconds} detik.\n"
        "Artikel: {articles} (+{articles_added} / −{articles_removed})\n"
        "Paragraf: {paragraphs} (+{added} / −{removed})\n"
        "Di-embed: {embedded}, dipakai ulang dari cache: {reused}",
        "reindex_skipped": "Berkas dilewati ({count}):",
        "reindex_unmatched": "Entri sources.toml yang tidak cocok dengan berkas mana pun ({count}):",
        "reindex_partly": "Berkas yang terindeks sebagian ({count}): sebagian paragrafnya sama dengan berkas lain "
        "dan hanya diindeks di sana.",
        "reindex_failed": "❌ Pengindeksan ulang gagal: {error}\nIndeks lama tetap dipakai.",
        "reindex_stopped": "⏹ Pengindeksan ulang dihentikan: bot sedang dimatikan. Indeks lama tetap dipakai; "
        "kirim /reindex lagi setelah bot menyala (yang sudah di-embed tidak dihitung ulang).",
        "reindex_stopped_full": "⏹ Pengindeksan ulang penuh dihentikan: bot sedang dimatikan. Indeks lama tetap "
        "dipakai; kirim /reindex penuh lagi setelah bot menyala (dimulai dari awal).",
        "reindex_stopped_first": "⏹ Pengindeksan dihentikan: bot sedang dimatikan. Belum ada indeks; kirim "
        "/reindex setelah bot menyala (yang sudah di-embed tidak dihitung ulang).",
        "reindex_shutting_down": "⏹ Bot sedang dimatikan: kirim /reindex lagi setelah bot menyala.",
        "reindex_failed_first": "❌ Pengindeksan gagal: {error}\nBelum ada indeks: pertanyaan tidak bisa "
        "dijawab sampai pengindeksan ulang berhasil.",
        "reindex_usage": "Pakai <code>/reindex</code> (hanya yang berubah) atau <code>/reindex penuh</code> "
        "(embed ulang semuanya).",
        "stats": "<b>Statistik</b>\nArtikel: {articles}\nParagraf: {paragraphs}\nModel: "
        "<code>{model}</code>\nUmur indeks: {age} (dibangun {built_at})\n"
        "Sejak bot dimulai: {answered} dijawab, {abstained} tidak terjawab dari liputan.",
        "sources_header": "<b>Artikel yang diindeks ({count})</b>",
        "sources_empty": "Belum ada artikel yang diindeks.",
    },
    "en": {
        "start": "Hi! I answer questions about Indonesian news coverage of Russia–China relations with "
        "<b>verbatim extracts</b> from the indexed articles, each cited with its outlet and date.",
        "coverage": "📚 Indexed coverage: <b>{count}</b> {articles} from {outlets}, {span}.",
        "no_coverage": "📚 No articles are indexed yet.",
        "how_to": "<b>How to ask</b>\nSend your question as a plain message (in groups: "
        "<code>/ask question</code> or mention me). I reply with numbered extracts, quoted word for word in "
        "the article's own language, each with its outlet and date; the «More» button "
        "(or, in a private chat, typing <i>more</i>) shows the next results. When the coverage does not "
        "answer, I say so plainly.",
        "examples": "<b>Examples</b>\n• What is Putin's position on Taiwan?\n• What did Putin and Xi "
        "discuss about the Middle East?\n• Why is Russia shifting its exports toward Asia?",
        "commands": "<b>Commands</b>\n/ask — ask a question\n/sources — list the indexed articles\n"
        "/help — this help",
        "ask_usage": "Write the question after the command, e.g. <code>/ask What is Putin's position "
        "on Taiwan?</code>",
        "not_a_question": "I can only answer questions written in words. "
        "Example: <i>Who offered to mediate?</i>",
        "throttled": "Easy there 🙂 You have sent {limit} requests (questions or «More») within a minute. "
        "Please try again in {seconds} seconds.",
        "non_text": "I only read text questions — stickers, photos and files are not processed. "
        "Send your question as a text message.",
        "edited": "Edited messages are not answered again. Send the corrected question as a new message.",
        "unknown_command": "Unknown command. Type /help to see what I can do.",
        "error": "Sorry, something went wrong while handling your message. Please try again shortly.",
        "index_unavailable": "Sorry, the index is unavailable right now. Please try again later.",
        "index_building": "⏳ The index is being built. Please try again in a moment.",
        "index_failed": "The coverage is not available yet: building the index failed. The bot's admin "
        "needs to fix it; until then, questions cannot be answered.",
        "more_button": "More ▸",
        "more_expired": "This question has expired. Please send it again.",
        "more_none": word("en", "no_more"),
        "more_shown": "This page was sent already, or is on its way.",
        "more_nothing": "There are no more extracts to show. Ask a question; when it has more, the «More» button "
        "under its answer (or typing <i>more</i>) shows them.",
        "more_stale": "The index was updated since this question was asked, so its results changed. "
        "Send the question again for current results.",
        "admin_only": "Sorry, this command is for the bot's admins only.",
        "admin_private": "Admin commands work only in a private chat with me: their reports carry server "
        "details that are not for a group.",
        "reindex_started": "🔄 Re-index started. I keep answering from the old index until it is done.",
        "reindex_started_first": "🔄 Indexing started. There is no old index yet: questions are answered "
        "once it is done.",
        "reindex_running": "⏳ A re-index is already running; please wait for it to finish.",
        "reindex_elsewhere": "⏳ Another process (say, <code>coverage-bot index</code>) is re-indexing. Its index "
        "is served from the first question after it finishes; send /reindex again then if you still need one.",
        "reindex_done": "✅ Re-index finished in {seconds} s.\n"
        "Articles: {articles} (+{articles_added} / −{articles_removed})\n"
        "Paragraphs: {paragraphs} (+{added} / −{removed})\n"
        "Embedded: {embedded}, reused from cache: {reused}",
        "reindex_skipped": "Skipped files ({count}):",
        "reindex_unmatched": "sources.toml entries that match no file ({count}):",
        "reindex_partly": "Partly indexed files ({count}): some of their paragraphs repeat another file and are "
        "indexed there only.",
        "reindex_failed": "❌ Re-index failed: {error}\nThe old index keeps serving.",
        "reindex_stopped": "⏹ Re-index stopped: the bot is shutting down. The old index keeps serving; send "
        "/reindex again once the bot is back (what was already embedded is not computed again).",
        "reindex_stopped_full": "⏹ Full re-index stopped: the bot is shutting down. The old index keeps serving; "
        "send /reindex full again once the bot is back (it starts over).",
        "reindex_stopped_first": "⏹ Indexing stopped: the bot is shutting down. There is no index yet; send "
        "/reindex once the bot is back (what was already embedded is not computed again).",
        "reindex_shutting_down": "⏹ The bot is shutting down: send /reindex again once it is back.",
        "reindex_failed_first": "❌ Indexing failed: {error}\nThere is no index: questions cannot be answered "
        "until a re-index succeeds.",
        "reindex_usage": "Use <code>/reindex</code> (only what changed) or <code>/reindex full</code> "
        "(re-embed everything).",
        "stats": "<b>Stats</b>\nArticles: {articles}\nParagraphs: {paragraphs}\nModel: "
        "<code>{model}</code>\nIndex age: {age} (built {built_at})\n"
        "Since the bot started: {answered} answered, {abstained} not answered by the coverage.",
        "sources_header": "<b>Indexed articles ({count})</b>",
        "sources_empty": "No articles are indexed yet.",
    },
}

#: Commands only admins may use: listed in the menu of admins' own chats only.
ADMIN_COMMANDS = frozenset({"reindex", "stats"})
#: The command menu registered with ``set_my_commands`` (name, description) per language.
COMMANDS: dict[Lang, list[tuple[str, str]]] = {
    "id": [
        ("start", "Mulai dan lihat cakupan liputan"),
        ("help", "Cara bertanya dan contoh"),
        ("ask", "Ajukan pertanyaan"),
        ("sources", "Daftar artikel yang diindeks"),
        ("reindex", "Indeks ulang korpus (admin)"),
        ("stats", "Statistik indeks (admin)"),
    ],
    "en": [
        ("start", "Start and see what the coverage holds"),
        ("help", "How to ask, with examples"),
        ("ask", "Ask a question"),
        ("sources", "List the indexed articles"),
        ("reindex", "Re-index the corpus (admin)"),
        ("stats", "Index statistics (admin)"),
    ],
}


def _text(key: str, lang: str) -> str:
    return TEXTS[resolve_lang(lang)][key]


def render(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang`` with ``values`` filled in, each escaped."""
    return _text(key, lang).format(**{k: e(v) for k, v in values.items()})


def plain(key: str, lang: str) -> str:
    """A fixed text for places that take plain text (callback-query toasts, ≤ 200 characters)."""
    return _text(key, lang)


def error_detail(err: BaseException, with_type: bool = False) -> str:
    """``str(err)`` (prefixed by the exception's type with ``with_type``), cut to
    :data:`MAX_ERROR_CHARS` — an exception text can be arbitrarily long. Not escaped: pass it to
    :func:`render`, which escapes after the cut (so no entity is ever cut in half)."""
    return shorten(f"{type(err).__name__}: {err}" if with_type else str(err), MAX_ERROR_CHARS)


def coverage_html(sources: Sequence[Article], lang: str) -> str:
    """What the index covers — article count, outlets, date range — from ``service.sources()``."""
    if not sources:
        return render("no_coverage", lang)
    facts = coverage_facts(sources, lang)
    return render("coverage", lang, count=format_count(facts["count"], lang),  # type: ignore[arg-type]
                  articles=facts["articles"], outlets=facts["outlets"], span=facts["span"])


def is_sidecar_entry(skipped: SkippedFile) -> bool:
    """Whether a skipped item is a ``sources.toml`` entry that names no seed file (``kind`` "sidecar"),
    not a file: listing it under "skipped files" told an admin a file was dropped when the fix is a
    typo in the sidecar."""
    return skipped.kind == "sidecar"


def _report_section(key: str, lang: str, items: Sequence[tuple[str, str]]) -> list[str]:
    """A titled list of ``• name: reason`` lines (reasons in the report's language), or nothing."""
    if not items:
        return []
    lines = [render(key, lang, count=format_count(len(items), lang))]
    lines += [f"• {e(name)}: {e(reason)}" for name, reason in items]
    return ["\n".join(lines)]


def reindex_report_blocks(report: IndexReport, lang: str) -> list[str]:
    """What a re-index changed, as HTML blocks (long lists are split between messages): articles and
    paragraphs added and removed, embedded, reused, the time (numbers as ``lang`` writes them:
    ``1,5 detik``); then the skipped files, the ``sources.toml`` entries that match no file, and the
    files indexed only in part because other files keep some of their paragraphs (as the CLI's
    "Partly indexed FILE: REASON")."""
    fields = ("articles", "articles_added", "articles_removed", "paragraphs", "added", "removed", "embedded",
              "reused")  # fmt: skip
    values = {k: format_count(getattr(report, k), lang) for k in fields}
    blocks = [render("reindex_done", lang, seconds=format_seconds(report.seconds, lang), **values)]
    files = [(s.file, s.reason_in(lang)) for s in report.skipped_files if not is_sidecar_entry(s)]
    entries = [(s.file, s.reason_in(lang)) for s in report.skipped_files if is_sidecar_entry(s)]
    partly = [(r.file, r.reason_in(lang)) for r in report.repeated_paragraphs]
    blocks += _report_section("reindex_skipped", lang, files)
    blocks += _report_section("reindex_unmatched", lang, entries)
    blocks += _report_section("reindex_partly", lang, partly)
    return blocks


def stats_html(stats: IndexStats, counters: Mapping[str, int], lang: str) -> str:
    """``/stats``: the index age is said in the user's language, and the counts written as it writes
    them (``12.345`` in Indonesian); then, when the seed files changed since the index was built,
    which ones, and that ``/reindex`` brings them in."""
    try:
        built = datetime.fromisoformat(stats.built_at.replace("Z", "+00:00"))
        built = built if built.tzinfo else built.replace(tzinfo=UTC)
        age = format_timedelta(datetime.now(UTC) - built, locale=lang)
        built_at = format_datetime(built, "medium", tzinfo=UTC, locale=lang) + " UTC"
    except (ValueError, TypeError):  # a built_at that is missing or not ISO
        age = built_at = "?"
    text = render(
        "stats", lang, articles=format_count(stats.articles, lang), paragraphs=format_count(stats.paragraphs, lang),
        model=stats.model, age=age, built_at=built_at, answered=format_count(counters["answered"], lang),
        abstained=format_count(counters["abstained"], lang),
    )  # fmt: skip
    if note := seed_changes_note(stats.seed_changes, lang, "/reindex"):
        text += f"\n\n⚠️ {e(note)}"
    return text
