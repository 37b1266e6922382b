"""``python -m geo COMMAND``: one sub-command per module.

Each command module exposes ``register(subparsers, common)``: it adds its parser(s) with
``parents=[common]`` (which brings ``--data-dir``) and sets ``func(args) -> int`` as the default.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: command module names under ``geo.commands``; each registers one or more sub-commands.
COMMAND_MODULES = ["validate", "coverage", "geocode", "mentions", "synth", "bench", "borders", "map", "serve_config"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        help="dataset directory (default: $GEO_DATA_DIR, else the shipped data/)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"geo.commands.{name}").register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
