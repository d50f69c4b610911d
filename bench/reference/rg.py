"""numpy reference for bench/rg: three RG steps of an N x 64 x 64 int8 ensemble per rule.

Decimation keeps the checkerboard sublattice (L x L -> L x L/2 -> L/2 x L/2, as rgs does),
majority takes the sign of 2x2 block sums with ties broken by the block's first spin, blockspin
averages 2x2 blocks. Prints `numpy RULE lattices_per_second` lines (best of 3).
"""
import sys
import time

import numpy as np


def decimate(x):
    n, r, c = x.shape
    if r == c:  # L x L -> L x L/2: keep sites with (row + column) even
        rows = np.arange(r)[:, None]
        cols = np.arange(c)[None, :]
        mask = ((rows + cols) % 2 == 0)
        return x[:, mask].reshape(n, r, c // 2)
    # L x L/2 -> L/2 x L/2: keep every other row
    return x[:, ::2, :]


def majority(x):
    n, r, c = x.shape
    s = x.reshape(n, r // 2, 2, c // 2, 2).sum(axis=(2, 4), dtype=np.int16)
    first = x[:, ::2, ::2]
    return np.where(s > 0, 1, np.where(s < 0, -1, first)).astype(np.int8)


def blockspin(x):
    n, r, c = x.shape
    return x.reshape(n, r // 2, 2, c // 2, 2).astype(np.float32).mean(axis=(2, 4))


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
    rng = np.random.default_rng(1)
    x = (rng.integers(0, 2, size=(count, 64, 64), dtype=np.int8) * 2 - 1).astype(np.int8)
    for name, rule in (("decimate", decimate), ("majority", majority), ("blockspin", blockspin)):
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            y = x
            for _ in range(3):
                y = rule(y)
            best = min(best, time.perf_counter() - t)
        print(f"numpy {name} {count / best:.1f}")


if __name__ == "__main__":
    main()
