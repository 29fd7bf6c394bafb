"""Benchmarks of a briefwatch pass: speed, distance to the floor, and growth (`make bench`)."""
