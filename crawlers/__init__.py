"""Everything Scrapy knows about: spiders, settings, replay/record middlewares.

This package knows nothing of spaCy and nothing of the database: spiders yield
`TrackedItem`s and record their own health notes; `tracker/` decides ids, status
and change events and stores them.
"""
