"""numpy checkerboard Metropolis reference for bench/montecarlo: attempts/ns at L = 32 and
L = 256 near beta_c, and the rate of a 30,000-lattice 32x32 ensemble (batched over lattices).

Prints `key value` lines that the Swift benchmark reads to print ratios.
"""
import sys
import time

import numpy as np

BETA = 0.4407


def sweep(s, rng, accept, masks):
    """One checkerboard sweep of a (B, L, L) int8 batch: both colours, vectorised over sites."""
    for mask in masks:
        n = np.roll(s, 1, 1) + np.roll(s, -1, 1) + np.roll(s, 1, 2) + np.roll(s, -1, 2)
        p = accept.take(s * n + 4)  # s n in {-4..4}
        flip = (rng.random(s.shape, dtype=np.float32) < p) & mask
        s *= 1 - 2 * flip.view(np.int8)


def rate(batch, L, seconds=1.0):
    rng = np.random.default_rng(1)
    s = np.ones((batch, L, L), dtype=np.int8)
    accept = np.minimum(1.0, np.exp(-2 * BETA * np.arange(-4, 5))).astype(np.float32)
    parity = (np.add.outer(np.arange(L), np.arange(L)) % 2).astype(bool)
    masks = [~parity[None], parity[None]]
    sweep(s, rng, accept, masks)
    sweeps, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        sweep(s, rng, accept, masks)
        sweeps += 1
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    attempts = batch * L * L * sweeps / 1e9
    return attempts / elapsed, elapsed / sweeps, attempts / cpu


def main():
    sweeps_per_lattice = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for L in (32, 256):
        wall, _, cpu = rate(1, L)
        print(f"numpy_L{L} {wall:.5f}")
        print(f"numpy_L{L}_cpu {cpu:.5f}")
    # The ensemble: 30,000 independent lattices, each thermalised for `sweeps_per_lattice` sweeps.
    # Time a few batched sweeps of 3,000 lattices and scale (the full batch takes minutes).
    per_ns, seconds_per_sweep, _ = rate(3000, 32, seconds=2.0)
    print(f"numpy_ensemble_attempts_per_ns {per_ns:.5f}")
    print(f"numpy_ensemble_lattices_per_s {3000 / (seconds_per_sweep * sweeps_per_lattice):.3f}")
    print(f"numpy_ensemble_state_mb {30000 * 32 * 32 / 2**20:.1f}")


main()
