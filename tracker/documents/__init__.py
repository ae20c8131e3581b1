"""Reading the documents an item links to: the høringsnotat, the proposal, the case document.

- `store`: content-addressed files (sha256) in `<data_dir>/documents/` with their provenance, the
  database rows (documents, versions, sections, paragraphs, provision hits) and `documents_changed`
  events;
- `extract`: text with pages and headings from PDF (pdfminer.six), HTML and .docx, split into
  sections and paragraphs; pages without a text layer are flagged;
- `read`: tags each section with the `nlp` tagger, keeps per-paragraph evidence with page numbers,
  raises an item's relevance from its documents' strongest paragraphs, finds watched provisions;
- `provisions`: the watch list of provisions (tracker/defaults/provisions.toml) and its matching;
- `redline`: section-level comparison of two versions, as HTML and as a .docx with tracked changes;
- `fetch`: runs the `documents` spider (crawlers/spiders/documents.py) and stores what it fetched;
- `api`: what the digest and drafts use (`provision_hits`, `strongest_paragraphs`).

What reads documents reads the copy we hold of each one the item's page still links
(`store.listed`): a document its page, read in full, no longer links (a høringsnotat replaced by
a corrected one) keeps its copy and history, is shown as no longer linked, and is not quoted in
drafts, read for relevance or provisions, or fetched again (tracker.store.changes).
"""
