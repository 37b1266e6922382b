"""What making a download may cost the server, and where a made file is kept until it is fetched.

:mod:`geo.downloads.limits` holds the limits as data; :mod:`geo.downloads.store` applies them to
each request and keeps the made files, bounded in bytes and time. Neither imports Streamlit: the
dashboard's side is :mod:`geo.dashboard.made_downloads`.
"""
