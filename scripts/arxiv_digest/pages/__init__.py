"""The page model: the front-matter schema, the page writer and atomic file storage."""
