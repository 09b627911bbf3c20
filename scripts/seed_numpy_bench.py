#!/usr/bin/python3
"""The seed's NumPy fractal and its thread, pool, process and async variants (written from
shared/seed/parallel-computing.md), timed next to `parafrac-cli seed` on this machine, in one run.

Usage: scripts/seed_numpy_bench.py [--repeat N] [--cli build/bin/parafrac-cli]
Prints each variant's median time and the ratio of NumPy serial to each, Parafrac's strategies
included. Times are of the computation alone (prepare() and output excluded), as `bench` measures.
"""
import argparse
import asyncio
import concurrent.futures
import json
import multiprocessing
import multiprocessing.shared_memory
import os
import statistics
import subprocess
import sys
import threading
import time

import numpy as np

# The seed's prepare() and run(), transcribed once, in the NumPy oracle the tests check the
# seed preset against.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from seed_oracle import prepare, run  # noqa: E402

SIZE = (4000, 3000)  # height, width: the seed's workload
ROWS = 10  # the seed's piece of rows


def serial(c, fractal):
    run(c, fractal)


def piece_of(c, fractal, i):
    run(c[ROWS * i:ROWS * (i + 1), :], fractal[ROWS * i:ROWS * (i + 1), :])


def threads(c, fractal):
    workers = [threading.Thread(target=piece_of, args=(c, fractal, i)) for i in range(SIZE[0] // ROWS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def pool(c, fractal):
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as executor:
        for _ in executor.map(lambda i: piece_of(c, fractal, i), range(SIZE[0] // ROWS)):
            pass


def asynchronous(c, fractal):
    async def compute():
        await asyncio.gather(*(asyncio.to_thread(piece_of, c, fractal, i) for i in range(SIZE[0] // ROWS)))
    asyncio.run(compute())


# Processes share c and fractal through shared memory, as the seed shows; each worker maps them once.
_shared = {}


def _attach(c_name, f_name):
    c_mem = multiprocessing.shared_memory.SharedMemory(name=c_name)
    f_mem = multiprocessing.shared_memory.SharedMemory(name=f_name)
    _shared["mem"] = (c_mem, f_mem)
    _shared["c"] = np.ndarray(SIZE, dtype=np.complex128, buffer=c_mem.buf)
    _shared["fractal"] = np.ndarray(SIZE, dtype=np.int32, buffer=f_mem.buf)


def _process_piece(i):
    piece_of(_shared["c"], _shared["fractal"], i)


class Processes:
    """A process pool over shared memory, started once (like Parafrac's), timed per render."""

    def __init__(self, c):
        self.c_mem = multiprocessing.shared_memory.SharedMemory(create=True, size=c.nbytes)
        self.f_mem = multiprocessing.shared_memory.SharedMemory(create=True, size=c.size * 4)
        self.c = np.ndarray(SIZE, dtype=np.complex128, buffer=self.c_mem.buf)
        self.c[:] = c
        self.fractal = np.ndarray(SIZE, dtype=np.int32, buffer=self.f_mem.buf)
        self.executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=os.cpu_count(), initializer=_attach, initargs=(self.c_mem.name, self.f_mem.name))
        list(self.executor.map(int, range(os.cpu_count())))  # start the workers before timing

    def __call__(self, c, fractal):
        for _ in self.executor.map(_process_piece, range(SIZE[0] // ROWS), chunksize=4):
            pass
        fractal[:] = self.fractal

    def close(self):
        self.executor.shutdown()
        del self.c, self.fractal
        for mem in (self.c_mem, self.f_mem):
            mem.close()
            mem.unlink()


def median_time(variant, repeat):
    times = []
    result = None
    for _ in range(repeat):
        c, fractal = prepare(*SIZE)
        start = time.perf_counter()
        variant(c, fractal)
        times.append(time.perf_counter() - start)
        result = fractal
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cli", default=os.path.join(os.path.dirname(__file__), "..", "build", "bin", "parafrac-cli"))
    args = parser.parse_args()

    rows = []
    c, _ = prepare(*SIZE)
    processes = Processes(c)
    try:
        reference = None
        for name, variant in [("numpy serial", serial), ("numpy threads", threads), ("numpy pool", pool),
                              ("numpy processes", processes), ("numpy async", asynchronous)]:
            seconds, result = median_time(variant, args.repeat)
            if reference is None:
                reference = result
            elif not np.array_equal(result, reference):
                raise SystemExit(f"{name} computed a different fractal")
            rows.append((name, seconds))
    finally:
        processes.close()

    cli = subprocess.run([args.cli, "seed", "--json", "--repeat", str(args.repeat)], check=True,
                         capture_output=True, text=True)
    parafrac_rows = [(f"parafrac {entry['strategy']} x{entry['workers']}", entry["median_s"])
                     for entry in json.loads(cli.stdout)]
    rows += parafrac_rows

    numpy_serial = rows[0][1]
    print(f"seed workload {SIZE[1]}x{SIZE[0]}, 20 iterations; {os.cpu_count()} hardware threads; "
          f"median of {args.repeat}")
    print(f"{'variant':28s} {'median s':>10s} {'vs numpy serial':>16s}")
    for name, seconds in rows:
        print(f"{name:28s} {seconds:10.4f} {numpy_serial / seconds:15.1f}x")
    best = min(parafrac_rows, key=lambda row: row[1])
    print(f"best Parafrac ({best[0]}) is {numpy_serial / best[1]:.0f}x NumPy serial")


if __name__ == "__main__":
    main()
