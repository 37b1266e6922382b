"""The dashboard as served: ``streamlit run serve.py`` (what ``make run`` does).

It is ``app.py`` with one guard in front, :class:`geo.dashboard.server_guard.RefuseUploads`: the dashboard
has no upload widget, so Streamlit's upload route answers 403 before a byte of the body is read.
Streamlit finds ``app`` here and runs it as an ASGI application (``st.App``); ``app.py`` stays the
script every session runs (and what the AppTest suites open). Downloads are made within limits and
served by a route of the app's own (:mod:`geo.dashboard.made_downloads`, ``docs/downloads.md``).
"""

import streamlit as st
from starlette.middleware import Middleware

from geo.dashboard import made_downloads
from geo.dashboard.server_guard import RefuseUploads

made_downloads.install()
made_downloads.start_sweeper()

app = st.App("app.py", routes=made_downloads.routes(), middleware=[Middleware(RefuseUploads)])
