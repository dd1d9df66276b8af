"""The threads that do the database work of the hot routes: the one piece beside FastAPI's path.

FastAPI runs sync work through anyio's `to_thread.run_sync`, which for every call takes a
capacity limiter, opens a cancel scope and looks up the running async library several times.
On the registration path, which hands work to a thread twice per request (the sign-in check and
the rule), that hand-over showed as the largest difference from the code before issue 13 in a
profile under load. Replacing it by asyncio's `run_in_executor` took about 0.2 ms of CPU off every
registration on PostgreSQL and gave about 8% more registrations per second (CPU per request of
`wijkcontact serve --workers 2`, 20 clients, closed loop; the closing note of issue 13).

So the routes that register (trajecten) and the sign-in check use `DatabaseDraden.run`; every
other route keeps FastAPI's own thread pool. Both are capped at DATABASE_THREADS per process:
beyond a few threads, more do not add throughput, they hold a pooled connection while they wait
for the GIL, which stretches every transaction under load.
"""

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class DatabaseDraden:
    """At most `aantal` threads of this process doing the hot routes' database work at once."""

    # One executor per size for the whole process: the apps of one process (the tests build
    # several) share its threads instead of each keeping idle ones of its own.
    _executors: ClassVar[dict[int, ThreadPoolExecutor]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, aantal: int) -> None:
        with self._lock:
            executor = self._executors.get(aantal)
            if executor is None:
                executor = ThreadPoolExecutor(aantal, thread_name_prefix="database")
                self._executors[aantal] = executor
        self._executor = executor

    async def run(self, werk: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        # With the request's context variables, as anyio's to_thread would.
        context = contextvars.copy_context()
        taak = functools.partial(context.run, werk, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, taak)
