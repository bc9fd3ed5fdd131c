"""The benchmark: the project against the floor and an in-house polars job (issue 10)."""
