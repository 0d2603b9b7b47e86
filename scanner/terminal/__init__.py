"""What a person (or a CI log) sees while and after a command runs: progress, the
summary, the failing policies and the gate line. Rendering uses `rich`, which also
decides colour (only on a terminal, never with NO_COLOR set)."""
