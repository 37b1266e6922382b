"""What readers see, as plain values: wording and tables, the pydeck map, the downloads. No streamlit here."""
