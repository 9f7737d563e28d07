"""The old hand-kept README digest, imported into pages."""
