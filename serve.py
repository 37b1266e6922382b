"""The dashboard as served: ``streamlit run serve.py`` (what ``make run`` does).

It is ``app.py`` with two guards in front (:mod:`geo.dashboard.server_guard`): :class:`RefuseUploads`
(the dashboard has no upload widget, so Streamlit's upload route answers 403 before a byte of the
body is read) and :class:`FramingPolicy` (every answer says which sites may show it in a frame: the
site itself, and the origins of ``GEO_FRAME_ANCESTORS``, see :mod:`geo.framing`; a malformed value
stops the start). Streamlit finds ``app`` here and runs it as an ASGI application (``st.App``);
``app.py`` stays the script every session runs (and what the AppTest suites open). A file a download
button made is kept until its reader's next run (:mod:`geo.dashboard.made_downloads`): with many
readers, Streamlit's own clean-up deleted it before the browser fetched it.
"""

import streamlit as st
from starlette.middleware import Middleware

from geo import framing
from geo.dashboard.made_downloads import keep_made_downloads
from geo.dashboard.server_guard import FramingPolicy, RefuseUploads

keep_made_downloads()

app = st.App(
    "app.py",
    middleware=[Middleware(FramingPolicy, allowed=framing.from_environment()), Middleware(RefuseUploads)],
)
