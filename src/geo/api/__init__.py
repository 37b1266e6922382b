"""The data API: the rows behind every view of the dashboard at an address, as CSV and JSON.

A dashboard link's query string after ``/api/v1/decisions.csv`` gives the rows its Cases page
downloads. :mod:`~geo.api.params` reads the link's parameters as the dashboard does,
:mod:`~geo.api.tables` makes the rows with the pages' own View and download code,
:mod:`~geo.api.routes` serves them on the dashboard's own server (``serve.py``) and
:mod:`~geo.api.openapi` describes them. No Streamlit here (an import-linter contract).
"""
