"""Chinese full-text search, one interface over PostgreSQL and SQLite.

Text is segmented by jieba in Python (`text`), so both databases index the same terms: a
weighted tsvector with GIN indexes on PostgreSQL, an FTS5 table on SQLite. A query is
analysed into groups of alternatives with the office's synonyms (`query`); the database
returns the best candidates by its own ranking (`engine`), which are then scored by how
much of the query's information they cover, the same way on both backends."""
