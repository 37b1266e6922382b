"""The dashboard as served: ``streamlit run serve.py`` (what ``make run`` does).

It is ``app.py`` with two guards in front (:mod:`geo.dashboard.server_guard`): :class:`RefuseUploads`
(the dashboard has no upload widget, so Streamlit's upload route answers 403 before a byte of the
body is read) and :class:`FramingPolicy` (every answer says which sites may show it in a frame: the
site itself, and the origins of ``GEO_FRAME_ANCESTORS``, see :mod:`geo.framing`; a malformed value
stops the start). Streamlit finds ``app`` here and runs it as an ASGI application (``st.App``);
``app.py`` stays the script every session runs (and what the AppTest suites open). Downloads are made
within limits and served by a route of the app's own (:mod:`geo.dashboard.made_downloads`,
``docs/downloads.md``). The data API (``/api/v1/…``, :mod:`geo.api`, ``docs/api.md``) is a route of the
same server and reads the dataset version the sessions are shown.
"""

import streamlit as st
from starlette.middleware import Middleware

from geo import framing
from geo.api import routes as api
from geo.dashboard import loading, made_downloads
from geo.dashboard.server_guard import FramingPolicy, RefuseUploads

made_downloads.install()
made_downloads.start_sweeper()

app = st.App(
    "app.py",
    routes=[*made_downloads.routes(), *api.routes(lambda: loading.current_data().index, made_downloads.base_path())],
    middleware=[Middleware(FramingPolicy, allowed=framing.from_environment()), Middleware(RefuseUploads)],
)
