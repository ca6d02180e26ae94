"""Time drawing exercise instances from the bundled templates.

Usage: python benchmarks/exercise_bench.py [--draws 5000]

Prints, one `name: value unit` per line: the mean and p99 time to draw one
instance of each bundled family (compiled template, avoiding the previous
values, as the reviewer draws them), the slowest family's p99 over all draws,
and the one-time cost of compiling a template on its first showing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quizapp.banks.native import load_native_bank  # noqa: E402
from quizapp.domain import ExerciseContent, ExerciseTemplate  # noqa: E402
from quizapp.exercises import instances  # noqa: E402


def bundled_templates() -> list[ExerciseTemplate]:
    """Every template of the bundled exercise bank."""
    batch = load_native_bank(ROOT / "data" / "ml-exercises.yaml")
    return [
        item.note.content.template
        for item in batch.notes
        if isinstance(item.note.content, ExerciseContent)
    ]


def compile_time_us(template: ExerciseTemplate) -> float:
    """Microseconds to compile ``template`` from scratch."""
    instances._CACHE.clear()
    started = time.perf_counter_ns()
    instances.compile_template(template)
    return (time.perf_counter_ns() - started) / 1000


def draw_times_us(template: ExerciseTemplate, draws: int) -> list[float]:
    """Microseconds per draw, each avoiding the previous values."""
    rng = Random(1)
    previous = None
    times = []
    for _ in range(draws):
        started = time.perf_counter_ns()
        drawn = instances.draw_instance(template, rng, avoid=previous)
        times.append((time.perf_counter_ns() - started) / 1000)
        previous = drawn.variables
    return sorted(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=5000)
    draws = parser.parse_args().draws
    all_times: list[float] = []
    compiles = []
    for template in bundled_templates():
        compiles.append(compile_time_us(template))
        times = draw_times_us(template, draws)
        all_times.extend(times)
        mean = sum(times) / len(times)
        print(f"draw_{template.template_id}_mean: {mean:.1f} us")
        print(f"draw_{template.template_id}_p99: {times[int(len(times) * 0.99)]:.1f} us")
    all_times.sort()
    print(f"draw_instance_p50: {all_times[len(all_times) // 2]:.1f} us")
    print(f"draw_instance_p99: {all_times[int(len(all_times) * 0.99)]:.1f} us")
    print(f"draw_instance_max: {all_times[-1]:.1f} us")
    print(f"compile_template_max: {max(compiles) / 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
