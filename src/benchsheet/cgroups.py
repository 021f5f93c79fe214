"""The CPU time Linux's control groups allow this process: how many workers a run may keep busy.

A CI runner in a container limited to 2 CPUs of a 64-core host sees 64 cores
(``os.sched_getaffinity`` counts the cores it may be scheduled on, not its share of their
time), and so does a runner started as a systemd service with ``CPUQuota=200%``. The limit is
a bandwidth: at most QUOTA microseconds of CPU time every PERIOD, set on the process's own
cgroup or on any cgroup above it (a slice limits every service in it), so the one that binds
is the tightest on the way from the process's cgroup up to the root.

Where each is found: ``/proc/self/cgroup`` names the process's cgroup, ``0::PATH`` in cgroup
v2's single tree and ``N:cpu,cpuacct:PATH`` in v1's cpu controller (mounted as ``cpu`` or
``cpu,cpuacct``). In a cgroup namespace (Docker and Kubernetes on v2) the path is ``/`` and
the mount's root is the container's own cgroup; a v1 container without one sees the host's
path, under which its mount holds nothing but the root, which is its own cgroup. A folder
that is missing is passed over, so both read right.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

#: Where the cgroups are mounted, and where Linux says which ones this process is in.
CGROUP_MOUNT = Path("/sys/fs/cgroup")
PROC_SELF_CGROUP = Path("/proc/self/cgroup")
#: The names cgroup v1's cpu controller is mounted under, below ``CGROUP_MOUNT``.
V1_CPU_MOUNTS = ("cpu", "cpu,cpuacct")


def cpu_limit() -> int | None:
    """The CPUs the tightest CPU bandwidth limit over this process amounts to, rounded up (a
    limit of 1.5 CPUs keeps two workers busy part of the time), or None when none is set or
    none can be read (not Linux, no cgroup mounted)."""
    tightest: tuple[int, int] | None = None
    for allowed, every in _limits():
        if tightest is None or allowed * tightest[1] < tightest[0] * every:
            tightest = (allowed, every)
    if tightest is None:
        return None
    return -(-tightest[0] // tightest[1])


def _limits() -> Iterator[tuple[int, int]]:
    """Each bandwidth limit set over this process, as (quota, period) in microseconds: v2's
    ``cpu.max`` ("QUOTA PERIOD", or "max PERIOD": none) and v1's quota and period files (a
    quota of -1: none), from its own cgroup up to the root."""
    v2_path, v1_path = _own_cgroups()
    for folder in _up(CGROUP_MOUNT, v2_path):
        try:
            quota, period = (folder / "cpu.max").read_text(encoding="ascii").split()[:2]
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        limit = _limit(quota, period)
        if limit is not None:
            yield limit
    for mount in V1_CPU_MOUNTS:
        for folder in _up(CGROUP_MOUNT / mount, v1_path):
            try:
                quota = (folder / "cpu.cfs_quota_us").read_text(encoding="ascii")
                period = (folder / "cpu.cfs_period_us").read_text(encoding="ascii")
            except (OSError, UnicodeDecodeError):
                continue
            limit = _limit(quota.strip(), period.strip())
            if limit is not None:
                yield limit


def _limit(quota: str, period: str) -> tuple[int, int] | None:
    """A quota and period read as numbers, or None for no limit ("max", -1) or text that is
    not one."""
    try:
        allowed, every = int(quota), int(period)
    except ValueError:
        return None
    return (allowed, every) if allowed > 0 and every > 0 else None


def _own_cgroups() -> tuple[str, str]:
    """This process's cgroup in v2's tree and in v1's cpu controller, as paths below their
    mounts; ``/`` for what ``/proc/self/cgroup`` does not say (or cannot be read)."""
    v2_path = v1_path = "/"
    try:
        lines = PROC_SELF_CGROUP.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return v2_path, v1_path
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        number, controllers, path = parts
        if number == "0" and not controllers:
            v2_path = path
        elif "cpu" in controllers.split(","):
            v1_path = path
    return v2_path, v1_path


def _up(mount: Path, path: str) -> Iterator[Path]:
    """The folder of cgroup ``path`` below ``mount`` and each above it, the mount's root
    last. A path that climbs out of the mount (``/..``, a process outside its namespace's
    root) gives the root alone."""
    parts = [part for part in path.split("/") if part]
    if ".." in parts:
        parts = []
    for depth in range(len(parts), -1, -1):
        yield mount.joinpath(*parts[:depth])
