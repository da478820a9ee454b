"""Benchmark: index build, warm ask latency, memory, and retrieval quality; prints Markdown tables.

    python bench/benchmark.py [--repeat 5]

Uses the bundled seeds, a temporary DATA_DIR, and MODELS_DIR (or a temporary one: the model is
built and verified first, and that one-time cost is reported on its own line). Latency and memory
are measured in a separate process that only loads the index and answers, as the bot does (the
builds measured before would inflate its memory). Results and the machine they were measured on go
in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from embeddings.config import DEFAULT_MODEL, Settings  # noqa: E402
from embeddings.embedder import Embedder  # noqa: E402
from embeddings.evaluation import Question, evaluate, load_questions  # noqa: E402
from embeddings.relevance import MIN_CORPUS_MATCH  # noqa: E402
from embeddings.service import CoverageService  # noqa: E402

QUESTION_SETS = {
    "dev (19)": REPO / "tests" / "data" / "dev_questions.jsonl",
    "calibration (114)": REPO / "tests" / "data" / "calibration_questions.jsonl",
    "held-out (68)": REPO / "tests" / "data" / "heldout_questions.jsonl",
    "held-out 2 (66)": REPO / "tests" / "data" / "heldout2_questions.jsonl",
    "held-out 3 (67)": REPO / "tests" / "data" / "heldout3_questions.jsonl",
}


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {platform.python_version()}, no GPU"


def bench_index(settings: Settings, embedder: Embedder) -> list[list[object]]:
    service = CoverageService(settings, embedder)
    cold = service.reindex()
    warm = service.reindex()
    return [
        ["cold build (empty cache)", f"{cold.seconds:.2f}", cold.embedded, cold.reused, cold.paragraphs],
        ["no-change re-index", f"{warm.seconds:.2f}", warm.embedded, warm.reused, warm.paragraphs],
    ]


def bench_latency(service: CoverageService, questions: list[str], repeat: int) -> list[list[object]]:
    for q in questions:  # warm up: caches, allocator, first-call costs
        service.ask(q)
    timings = []
    for _ in range(repeat):
        for q in questions:
            started = time.perf_counter()
            service.ask(q)
            timings.append((time.perf_counter() - started) * 1000)
    return [[len(timings), f"{statistics.median(timings):.1f}", f"{percentile(timings, 95):.1f}",
             f"{max(timings):.1f}", f"{rss_mb():.0f}"]]


def bench_quality(service: CoverageService) -> list[list[object]]:
    rows = []
    for name, path in QUESTION_SETS.items():
        questions = load_questions(path)
        for mode in ("hybrid", "dense", "bm25"):
            s = evaluate(questions, lambda q, mode=mode: service.ask(q, mode=mode)).summary()
            rows.append([name, mode, s["hit@1"], s["hit@3"], s["answered"], s["abstained_off_topic"], s["leaks"],
                         s["verbatim"]])
    return rows


def bench_abstention(service: CoverageService) -> list[list[object]]:
    """Our rule against a single cosine threshold tuned to answer every dev question."""
    retriever = service.retriever()
    dev = load_questions(QUESTION_SETS["dev (19)"])
    threshold = min(retriever.evidence(q.q).evidence.top_cosine for q in dev if q.answerable)
    rows = []
    for name, path in QUESTION_SETS.items():
        questions: list[Question] = load_questions(path)
        evidence = [(q, retriever.evidence(q.q).evidence) for q in questions if q.answerable or not q.leak]
        answerable = [ev for q, ev in evidence if q.answerable]
        off = [ev for q, ev in evidence if not q.answerable]
        by_cosine = (sum(ev.top_cosine >= threshold for ev in answerable) / len(answerable),
                     sum(ev.top_cosine < threshold for ev in off) / len(off))
        ours = evaluate(questions, service.ask)
        rows.append([name, f"cosine ≥ {threshold:.3f}", f"{by_cosine[0]:.3f}", f"{by_cosine[1]:.3f}"])
        rows.append([name, f"token match ≥ {MIN_CORPUS_MATCH} (+ floors)",
                     f"{ours.rate(ours.answered, ours.answerable):.3f}",
                     f"{ours.rate(ours.abstained, ours.off_topic):.3f}"])
    return rows


#: English questions naming places, people and groups by their English names (85 the seeds answer,
#: 20 naming things the seeds never mention), written by a helper who read only the seeds.
NAMES_PROBE = {"answerable": REPO / "tests" / "data" / "english_names_answerable.txt",
               "never mentioned": REPO / "tests" / "data" / "english_names_unmentioned.txt"}


def bench_english_names(service: CoverageService) -> list[list[object]]:
    """The English unknown-name check (``Vocabulary.names_without_counterpart``) on and off: what it
    refuses of questions the seeds answer, and of questions naming what they never mention."""
    from embeddings import vocabulary

    original, rows = vocabulary.MIN_NAME_MATCH, []
    try:
        for label, floor in (("on", original), ("off", 0.0)):
            vocabulary.MIN_NAME_MATCH = floor
            answered = {kind: [service.ask(q).answered for q in path.read_text(encoding="utf-8").splitlines() if q]
                        for kind, path in NAMES_PROBE.items()}
            never = answered["never mentioned"]
            rows.append([f"{label} (floor {floor})", f"{sum(answered['answerable'])}/{len(answered['answerable'])}",
                         f"{len(never) - sum(never)}/{len(never)}"])
    finally:
        vocabulary.MIN_NAME_MATCH = original
    return rows


def serving_latency(data_dir: Path, models_dir: Path, repeat: int) -> None:
    """The latency row, measured in this process, which only loads an index and answers (``--serve``)."""
    settings = Settings(REPO / "seeds", data_dir, DEFAULT_MODEL, models_dir)
    service = CoverageService(settings, Embedder(DEFAULT_MODEL, models_dir))
    questions = [q.q for path in QUESTION_SETS.values() for q in load_questions(path)]
    print(table(["asks", "p50", "p95", "max", "RSS MB"], bench_latency(service, questions, repeat)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes over the questions for latency")
    parser.add_argument("--serve", type=Path, metavar="DATA_DIR", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.serve:
        serving_latency(args.serve, Path(os.environ["MODELS_DIR"]), args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        models_dir = Path(os.environ.get("MODELS_DIR") or Path(tmp) / "models")
        started = time.perf_counter()
        embedder = Embedder(DEFAULT_MODEL, models_dir)
        load_seconds = time.perf_counter() - started
        settings = Settings(REPO / "seeds", Path(tmp) / "data", DEFAULT_MODEL, models_dir)
        print(f"Machine: {machine()}\n")
        print(f"Model build (if needed) + load: {load_seconds:.1f} s\n")
        print("## Index build\n")
        print(table(["run", "seconds", "embedded", "reused", "paragraphs"], bench_index(settings, embedder)))
        print("\n## Warm `ask` latency (ms), serving process\n", flush=True)
        subprocess.run([sys.executable, __file__, "--serve", str(settings.data_dir), "--repeat", str(args.repeat)],
                       env={**os.environ, "MODELS_DIR": str(models_dir)}, check=True)
        service = CoverageService(settings, embedder)
        print("\n## Retrieval quality\n")
        print(table(["questions", "mode", "hit@1", "hit@3", "answered", "off-topic abstained", "leaks",
                     "verbatim"], bench_quality(service)))
        print("\n## Abstention signal\n")
        print(table(["questions", "rule", "answerable answered", "off-topic abstained"], bench_abstention(service)))
        print("\n## English questions naming what the coverage never mentions\n")
        print(table(["name check", "answerable answered", "never mentioned refused"], bench_english_names(service)))


if __name__ == "__main__":
    main()
