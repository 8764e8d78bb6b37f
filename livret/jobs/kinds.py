"""What each kind of job does: its function, looked up by name when the worker runs it.

A function takes (job, progress) and fills job.file / job.result; it raises JobFailed with a
French message the user can act on. The registry starts empty: each app that runs jobs registers
its kinds when Django loads it (its AppConfig.ready), so this floor never names a module above
it. Paths, not imports: registering loads nothing heavy; the worker imports the function when it
runs the job.
"""

from __future__ import annotations

KINDS: dict[str, str] = {}


def register(kind: str, path: str) -> None:
    """`kind` runs the function at dotted `path`. Twice the same is harmless (an app may be
    loaded again in tests); two paths for one kind is a programming error."""
    known = KINDS.get(kind)
    if known is not None and known != path:
        raise ValueError(f"job kind {kind!r} is already {known!r}, not {path!r}")
    KINDS[kind] = path


def register_all(kinds: dict[str, str]) -> None:
    for kind, path in kinds.items():
        register(kind, path)
