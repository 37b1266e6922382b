"""The dataset: its Data Package descriptor, reading, validation, typed frames and the columnar cache."""
