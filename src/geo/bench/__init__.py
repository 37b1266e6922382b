"""Benchmarks and the synthetic datasets they (and the scaling tests) run on; not needed by the dashboard.

The dashboard itself (``app.py`` and ``pages/``) is not part of the package: the benchmarks that
run it (:mod:`geo.bench.rerun`, :mod:`geo.bench.browser`) take its path as ``--app``, and
:func:`checkout_app` is the one place that knows where a source checkout keeps it.
"""

from __future__ import annotations

from pathlib import Path


def checkout_app() -> Path:
    """``app.py`` at the root of the source checkout this package runs from (``src/geo/bench/`` is
    three levels below it). Raises ``FileNotFoundError`` when there is none, as in an installed
    package without its checkout: then pass the dashboard's ``app.py`` as ``--app``."""
    app = Path(__file__).resolve().parents[3] / "app.py"
    if not app.is_file():
        raise FileNotFoundError(f"no dashboard at {app}: pass the path of its app.py as --app")
    return app
