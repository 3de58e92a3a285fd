"""The query layer (ranked paragraphs in context); depends on `index` only."""
