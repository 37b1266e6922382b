"""The dashboard's Streamlit side (with the benchmarks, the only code in geo that imports streamlit):
the data loaded (loading), the page address (url_state), the sidebar and its player, what every
page repeats (page_chrome, chrome), the tables' columns, the map's frame, the download buttons,
and the server's own routes and guards."""
