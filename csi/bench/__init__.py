"""The benchmark: the project against the floor and an in-house polars job (bench/results.md)."""
