"""Encode a 4096 x 4096 float32 matrix: rf8.encode (RF8 codes) against
ml_dtypes' cast to float8_e4m3fn, best of several runs in one process
(`make python-bench`; figures in docs/python.md)."""

import os
import platform
import time

import ml_dtypes
import numpy as np

import rf8


def best(f, runs=15):
    f()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times), sorted(times)[len(times) // 2]


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    x = np.random.default_rng(1).standard_normal((4096, 4096), dtype=np.float32)
    print(f"{cpu()}, {os.cpu_count()} logical CPUs, numpy {np.__version__}, ml_dtypes {ml_dtypes.__version__}")
    print(f"4096 x 4096 float32 ({x.nbytes / 2**20:.0f} MiB), best / median of 15 runs:")
    rows = [
        ("rf8.encode (truncate)", lambda: rf8.encode(x)),
        ("rf8.encode (nearest)", lambda: rf8.encode(x, "nearest")),
        ("ml_dtypes float8_e4m3fn cast", lambda: x.astype(ml_dtypes.float8_e4m3fn)),
        ("rf8.quantize e4m3 (values, f64)", lambda: rf8.quantize(x, "e4m3")),
    ]
    for name, f in rows:
        b, m = best(f)
        print(f"  {name:34} {b * 1e3:8.1f} ms  {m * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
