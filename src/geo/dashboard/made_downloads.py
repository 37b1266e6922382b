"""A file a download button made stays until its reader's next run, not until any two runs end.

The dashboard's downloads are deferred (``st.download_button(data=callable)``): a click asks the
server over the websocket to make the file, the answer names its ``/media`` URL, and the browser
then fetches it. Streamlit 1.67 stores the made file without tying it to the session that asked
for it, so the clean-up at the end of every script run, of any session, marks it, and the next
one deletes it. With many readers rerunning at once, that is a fraction of a second: the reader's
fetch often came too late and got a 404 (``make loadtest`` counted dozens).

:func:`keep_made_downloads` ties each made file to the session that asked for it, under a key of
its own, as Streamlit ties the file of an ordinary (not deferred) download button. The file then
lives until that session's next run starts (Streamlit drops a session's files then, and the usual
clean-up deletes them) or the session ends. A reader who clicks twice holds one file, the newest.

This reaches into Streamlit's media file manager (no option or API does it): the tie is made
when the file is stored, under the manager's lock, so that no clean-up comes between. It checks the
internals it needs and changes nothing when they are not as expected, so a Streamlit that
changes them falls back to its own behaviour (``tests/test_serve.py`` would then fail:
``test_a_made_download_outlives_other_readers_runs``).
"""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

_LOG = logging.getLogger(__name__)
#: The key a made file is kept under in its session's files (Streamlit's own keys are delta paths).
KEY = "geo-made-download:{placeholder}"
#: The download this thread is making: (manager, session id, placeholder id), else None.
_making = threading.local()


def keep_made_downloads() -> bool:
    """Install the change into Streamlit's ``MediaFileManager`` (once per process). Returns whether
    it is in place."""
    plain = MediaFileManager.execute_deferred
    if getattr(plain, "keeps_made_downloads", False):
        return True
    needed = ("_deferred_callables", "_files_by_session_and_coord", "_storage", "_lock")
    if not all(name in MediaFileManager.__init__.__code__.co_names for name in needed):
        _LOG.warning("Streamlit's MediaFileManager has changed: made downloads are kept as Streamlit keeps them")
        return False
    plain_store = MemoryMediaFileStorage.load_and_get_id

    @functools.wraps(plain)
    def execute_deferred(self: Any, placeholder: str) -> str:
        with self._lock:
            entry = self._deferred_callables.get(placeholder)
        session = entry.get("session_id") if isinstance(entry, dict) else None
        _making.pending = (self, session, placeholder) if session else None
        try:
            return plain(self, placeholder)
        finally:
            _making.pending = None

    @functools.wraps(plain_store)
    def load_and_get_id(self: Any, *args: Any, **kwargs: Any) -> str:
        made = plain_store(self, *args, **kwargs)
        pending = getattr(_making, "pending", None)
        if pending is not None:
            # Here execute_deferred holds the manager's lock, so no clean-up runs between the file
            # being stored and being tied to its session. A session that has ended has no entry.
            manager, session, placeholder = pending
            files = manager._files_by_session_and_coord
            if session in files:
                files[session][KEY.format(placeholder=placeholder)] = made
        return made

    execute_deferred.keeps_made_downloads = True  # type: ignore[attr-defined]
    MediaFileManager.execute_deferred = execute_deferred  # type: ignore[method-assign,assignment]
    MemoryMediaFileStorage.load_and_get_id = load_and_get_id  # type: ignore[method-assign]
    return True
