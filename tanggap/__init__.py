"""The `tanggap` command: development stack, tokens, demo data and imports."""
