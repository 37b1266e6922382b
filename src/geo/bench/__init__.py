"""Benchmarks and the synthetic datasets they (and the scaling tests) run on; not needed by the dashboard.

The dashboard itself (``app.py`` and ``pages/``) and the pandas reference the fast path is timed
against (``tests/reference.py``) are not part of the package: the benchmarks that run the
dashboard (:mod:`geo.bench.rerun`, :mod:`geo.bench.browser`) take its path as ``--app``, and
:func:`checkout_app` and :func:`checkout_reference` are the one place that knows where a source
checkout keeps them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

#: The source checkout this package runs from (``src/geo/bench/`` is three levels below it).
CHECKOUT = Path(__file__).resolve().parents[3]


def checkout_app() -> Path:
    """``app.py`` at the root of the source checkout. Raises ``FileNotFoundError`` when there is
    none, as in an installed package without its checkout: then pass the dashboard's ``app.py`` as
    ``--app``."""
    app = CHECKOUT / "app.py"
    if not app.is_file():
        raise FileNotFoundError(f"no dashboard at {app}: pass the path of its app.py as --app")
    return app


def checkout_reference() -> ModuleType | None:
    """The checkout's ``tests/reference.py`` (the pandas reference), or None without a checkout."""
    path = CHECKOUT / "tests" / "reference.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("geo_bench_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
