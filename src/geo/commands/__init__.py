"""Sub-commands of ``python -m geo``; each module has ``register(subparsers)``."""
