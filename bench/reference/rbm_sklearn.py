"""CD training speed of scikit-learn's BernoulliRBM (0/1 units, PCD-1): the reference for bench/rbm.

BernoulliRBM has no +-1 units, L1 or momentum, so it is compared at equal work: the same sizes,
batch and number of epochs on float32 0/1 data. numpy's OpenBLAS uses 2 threads here.
Usage: rbm_sklearn.py VISIBLE HIDDEN BATCH [SAMPLES] [EPOCHS]; prints seconds per epoch.
"""
import sys
import time

import numpy as np
from sklearn.neural_network import BernoulliRBM


def main():
    visible, hidden, batch = (int(a) for a in sys.argv[1:4])
    samples = int(sys.argv[4]) if len(sys.argv) > 4 else 30000
    epochs = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    rng = np.random.default_rng(1)
    data = rng.integers(0, 2, size=(samples, visible)).astype(np.float32)
    rbm = BernoulliRBM(n_components=hidden, learning_rate=0.01, batch_size=batch, n_iter=epochs, random_state=1)
    start = time.perf_counter()
    rbm.fit(data)
    seconds = (time.perf_counter() - start) / epochs
    print(f"sklearn rbm {visible}->{hidden} batch {batch}: {seconds:.4f} s/epoch, {1 / seconds:.2f} epochs/s")


if __name__ == "__main__":
    main()
