"""Demo content for the README's first command: a bilingual survey and example responses."""
