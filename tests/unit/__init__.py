"""Unit tests of the shared package; a package so test file names may repeat in other folders."""
