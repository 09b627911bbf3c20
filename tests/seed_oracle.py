#!/usr/bin/python3
"""The seed's fractal (shared/seed/parallel-computing.md) in NumPy: the oracle for
`parafrac-cli render --preset seed --format i32`.

Usage: seed_oracle.py WIDTH HEIGHT OUT.i32 [MAXITER]
Writes the int32 array that the seed's `run` leaves in `fractal` (row 0 = imaginary -1),
little-endian, row-major.
"""
import sys

import numpy as np


def prepare(height, width):
    c = np.sum(
        np.broadcast_arrays(*np.ogrid[-1j : 0j : height * 1j, -1.5 : 0 : width * 1j]),
        axis=0,
    )
    fractal = np.zeros_like(c, dtype=np.int32)
    return c, fractal


def run(c, fractal, maxiterations=20):
    z = c
    for i in range(1, maxiterations + 1):
        z = z**2 + c
        diverge = abs(z) > 2
        z[diverge] = 2
        fractal[~diverge] = i
    return fractal


def main():
    width, height, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    maxiterations = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    c, fractal = prepare(height, width)
    run(c, fractal, maxiterations)
    fractal.astype("<i4").tofile(out)


if __name__ == "__main__":
    main()
