"""How the server process asks glibc's allocator to keep its memory small.

glibc gives a thread that finds the arenas in use an arena of its own, up to eight per core, and
an arena keeps the high-water mark of what its threads once held. `aluekg serve` runs many
threads at once (uvicorn's event loop, anyio's pool for synchronous endpoints and uploads, the
reload thread), so under concurrent load its RSS grew in steps that reloads and uploads alone
never made (bench/README.md, "Soak": 244 -> 294 MiB in ten minutes). The environment variable
`MALLOC_ARENA_MAX=2` (which the query processes get) is read once when a process starts, so the
server sets the same limit with mallopt(3) before its first thread: with it, the soak's RSS
stayed within 186-196 MiB for fourteen minutes after warm-up. After a reload the old store is
freed, and malloc_trim(3) hands the pages back to the system rather than keeping them for the
next high-water mark.

Only glibc has these functions: elsewhere (musl, macOS) every call here does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import os

# From glibc's <malloc.h>.
M_ARENA_MAX = -8
ARENAS = 2


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library, if it is glibc (which names its version in confstr(3))."""
    try:
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return None
    except (ValueError, OSError):  # not a name this system knows: not glibc
        return None
    # The symbols of the process itself, the C library's among them.
    libc = ctypes.CDLL(None)
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.mallopt.restype = ctypes.c_int
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    libc.malloc_trim.restype = ctypes.c_int
    return libc


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Let the allocator make at most `arenas` arenas from now on; False where it cannot
    (not glibc). Call it before the process starts threads: an arena once made stays."""
    libc = _glibc()
    return libc is not None and libc.mallopt(M_ARENA_MAX, arenas) == 1


def trim() -> bool:
    """Give the memory the allocator holds free back to the system; True if it gave any."""
    libc = _glibc()
    return libc is not None and libc.malloc_trim(0) == 1
