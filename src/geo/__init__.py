"""Core of the Qantar map: load, validate, geocode, filter and aggregate the dataset.

Nothing in this package imports streamlit except ``geo.dashboard`` and, when it runs, the
benchmark ``geo.bench.rerun`` (Streamlit's AppTest, in a process of its own).
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
