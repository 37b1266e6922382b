"""``python -m geo synth --cases N --out DIR``: a deterministic synthetic dataset for scale tests."""

from __future__ import annotations

from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser("synth", parents=[common], help="write a synthetic dataset of N verdicts")
    p.add_argument("--cases", type=int, required=True, help="number of verdicts (events: a tenth of it)")
    p.add_argument("--out", type=Path, required=True, help="directory to write the CSV tables into")
    p.add_argument("--seed", type=int, default=2022, help="random seed (same seed, same files)")
    p.set_defaults(func=run)


def run(args) -> int:
    from geo.bench.synth import synthesize

    if args.cases < 1:
        print("--cases must be at least 1")
        return 2
    out = synthesize(args.cases, args.out, args.seed)
    print(f"wrote {args.cases:,} verdicts to {out}")
    return 0
