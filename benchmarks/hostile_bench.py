"""Run hostile bank files through ``quizapp validate``, each in a fresh process.

Shapes come from the modules ``benchmarks/hostile_*.py`` beside this script (all but this
one): each has a function ``shapes()`` returning a list of :class:`Shape`.  A shape's
``make`` writes its file into the folder it is given and returns the path; its
``command`` is the argument list to run, where ``{file}`` stands for that path, or
``None`` for ``python -m quizapp validate {file}``.

For each shape this prints, on stdout::

    NAME_seconds: S s           wall time of the process
    NAME_cpu_seconds: S s       its user + system CPU time (less swayed by a busy machine)
    NAME_peak_memory: M MB      its peak resident set size (MiB)
    NAME_exit: N code           its exit status (2: the file was refused)
    NAME_output_lines: N lines  lines it printed (stdout and stderr)

Goal: every shape under 2 s and 300 MB.  Each process runs under a memory limit and a
time limit, so a shape that still explodes reports the limit instead of taking the
machine.  Run by hand from the repository root::

    python benchmarks/hostile_bench.py [--only NAME_PART] [--timeout 120] [--memory-mb 4096]
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
# The shape modules import Shape from "hostile_bench": let them find this very module.
sys.modules.setdefault("hostile_bench", sys.modules[__name__])
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


class Shape(NamedTuple):
    """One hostile input: its name, how to make it in a folder, and how to run it."""

    name: str
    make: Callable[[Path], Path]
    command: list[str] | None = None


class Outcome(NamedTuple):
    """What one run measured."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    exit_code: int
    output_lines: int


def all_shapes() -> list[Shape]:
    """The shapes of every ``hostile_*.py`` module, in the modules' name order."""
    found: list[Shape] = []
    for path in sorted(HERE.glob("hostile_*.py")):
        if path.stem == "hostile_bench":
            continue
        module = importlib.import_module(path.stem)
        found.extend(module.shapes())
    return found


def run(shape: Shape, folder: Path, timeout: float, memory_mb: int) -> Outcome:
    """Make the shape's file and run its command in a fresh process."""
    target = shape.make(folder)
    default = [sys.executable, "-m", "quizapp", "validate", "{file}"]
    command = [part.replace("{file}", str(target)) for part in shape.command or default]
    limit = memory_mb * 2**20

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    output = folder / "output.txt"
    with output.open("wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=sink, stderr=sink, stdin=subprocess.DEVNULL,
            preexec_fn=limits, cwd=REPO_ROOT,
        )  # fmt: skip
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                status = -1
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
    process.returncode = 0  # reaped by os.wait4 above
    code = -1 if status == -1 else os.waitstatus_to_exitcode(status)
    with output.open("rb") as lines:
        count = sum(1 for _ in lines)
    cpu = usage.ru_utime + usage.ru_stime
    return Outcome(seconds, cpu, usage.ru_maxrss / 1024, code, count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", default="", help="run the shapes whose name holds this")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per shape")
    parser.add_argument("--memory-mb", type=int, default=4096, help="address-space limit")
    arguments = parser.parse_args()
    for shape in all_shapes():
        if arguments.only not in shape.name:
            continue
        with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
            outcome = run(shape, Path(folder), arguments.timeout, arguments.memory_mb)
        note = " (timed out)" if outcome.exit_code == -1 else ""
        print(f"{shape.name}_seconds: {outcome.seconds:.2f} s{note}", flush=True)
        print(f"{shape.name}_cpu_seconds: {outcome.cpu_seconds:.2f} s", flush=True)
        print(f"{shape.name}_peak_memory: {outcome.peak_mb:.0f} MB", flush=True)
        print(f"{shape.name}_exit: {outcome.exit_code} code", flush=True)
        print(f"{shape.name}_output_lines: {outcome.output_lines} lines", flush=True)


if __name__ == "__main__":
    main()
