"""Qantar map: the dashboard. ``streamlit run app.py`` (data: ``$GEO_DATA_DIR``, else ``data/``).

This script draws what every page shares (navigation, the sidebar filters), then runs the
page. The pages are thin views over ``geo``; see ``geo.dashboard.glue``.
"""

import streamlit as st

from geo.dashboard import glue
from geo.data.dataset import DataError

st.set_page_config(page_title="Qantar map", page_icon=glue.favicon(), layout="wide")

page = st.navigation([
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map", default=True),
    st.Page("pages/cases.py", title="Cases", icon=":material/gavel:", url_path="cases"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/sources.py", title="Sources", icon=":material/article:", url_path="sources"),
    st.Page("pages/about.py", title="About", icon=":material/info:", url_path="about"),
])

try:
    data = glue.dataset()
except DataError as error:
    glue.show_data_error(error)
    st.stop()

glue.sidebar_filters(data)
page.run()
