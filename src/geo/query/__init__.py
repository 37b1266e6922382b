"""Queries over the dataset: the filter value, the fast index every page reads through, and the aggregates."""
