"""Benchmarks: ``python -m benchmarks.renditions`` compares the image core with a naive handler."""
