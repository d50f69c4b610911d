"""CD-1 training speed of a +-1 RBM in PyTorch (CPU, 2 threads): the reference for bench/rbm.

Same work as rgs per minibatch: h0 = tanh(v0 W + b), hs ~ h0, vm = tanh(hs W^T + c), vs ~ vm,
hk = tanh(vs W + b), momentum SGD on W, b, c with the gradient v0^T h0 - vs^T hk.
Usage: rbm_torch.py VISIBLE HIDDEN BATCH [SAMPLES] [EPOCHS]; prints seconds per epoch.
"""
import sys
import time

import torch


def main():
    visible, hidden, batch = (int(a) for a in sys.argv[1:4])
    samples = int(sys.argv[4]) if len(sys.argv) > 4 else 30000
    epochs = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    torch.set_num_threads(2)
    torch.manual_seed(1)
    data = torch.randint(0, 2, (samples, visible)).float() * 2 - 1
    w = 0.01 * torch.randn(visible, hidden)
    b, c = torch.zeros(hidden), torch.zeros(visible)
    vw, vb, vc = torch.zeros_like(w), torch.zeros_like(b), torch.zeros_like(c)
    lr, mu = 0.01, 0.5

    def sample(mean):
        return torch.where(torch.rand_like(mean) * 2 - 1 < mean, 1.0, -1.0)

    @torch.no_grad()
    def epoch():
        order = torch.randperm(samples)
        for start in range(0, samples, batch):
            v0 = data[order[start:start + batch]]
            n = v0.shape[0]
            h0 = torch.tanh(torch.addmm(b, v0, w))
            vs = sample(torch.tanh(torch.addmm(c, sample(h0), w.t())))
            hk = torch.tanh(torch.addmm(b, vs, w))
            vw.mul_(mu).addmm_(v0.t(), h0, alpha=lr / n).addmm_(vs.t(), hk, alpha=-lr / n)
            vb.mul_(mu).add_((h0 - hk).sum(0), alpha=lr / n)
            vc.mul_(mu).add_((v0 - vs).sum(0), alpha=lr / n)
            w.add_(vw)
            b.add_(vb)
            c.add_(vc)

    epoch()  # warm-up
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    seconds = (time.perf_counter() - start) / epochs
    print(f"torch rbm {visible}->{hidden} batch {batch}: {seconds:.4f} s/epoch, {1 / seconds:.2f} epochs/s")


if __name__ == "__main__":
    main()
