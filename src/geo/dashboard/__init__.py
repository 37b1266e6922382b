"""The Streamlit glue: the only code in geo that imports streamlit (cached loaders, widgets, the View)."""
