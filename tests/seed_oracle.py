#!/usr/bin/python3
"""The seed's fractal (shared/seed/parallel-computing.md) in NumPy: the oracle for
`parafrac-cli render --preset seed --format i32`.

Usage: seed_oracle.py WIDTH HEIGHT OUT.i32 [MAXITER]
Writes the int32 array that the seed's `run` leaves in `fractal` (row 0 = imaginary -1),
little-endian, row-major.

Usage: seed_oracle.py --grid WIDTH HEIGHT
Prints the seed's coordinates as exact hexadecimal doubles (float.hex): the real part of each
column on the first line, the imaginary part of each row on the second.
"""
import sys

import numpy as np


def seed_ogrid(height, width):
    return np.ogrid[-1j : 0j : height * 1j, -1.5 : 0 : width * 1j]


def prepare(height, width):
    c = np.sum(np.broadcast_arrays(*seed_ogrid(height, width)), axis=0)
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


def print_grid(width, height):
    # c[0, :] and c[:, 0] of prepare's c, each the same sum of a row and a column, without the
    # whole height x width array.
    rows, columns = seed_ogrid(height, width)
    print(" ".join(float(value).hex() for value in (rows[0, 0] + columns[0, :]).real))
    print(" ".join(float(value).hex() for value in (rows[:, 0] + columns[0, 0]).imag))


def main():
    if sys.argv[1] == "--grid":
        print_grid(int(sys.argv[2]), int(sys.argv[3]))
        return
    width, height, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    maxiterations = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    c, fractal = prepare(height, width)
    run(c, fractal, maxiterations)
    fractal.astype("<i4").tofile(out)


if __name__ == "__main__":
    main()
