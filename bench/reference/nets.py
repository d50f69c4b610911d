"""PyTorch CPU reference for bench/nets: training throughput (samples/s) of the autoencoder
paper's Model-1 (1024-512-256-512-1024, linear, no bias, hinge + L1, Adam) at batch 10, 100 and
1000, and of the beta regressor (1024 -> 512 tanh -> 1 ReLU, MSE, Adam) at batch 100.

Usage: python nets.py THREADS [CASE]. Prints one "torch <case> <samples/s>" line per case (only
CASE's, if given), as the Swift side does, best of three epochs after a warm-up epoch, on random
+-1 lattices; with one thread also "torch-cpu <case> <samples per CPU second>", which other load
on the machine does not skew.
"""
import sys
import time

import torch

L1 = 1e-5  # Network.defaultAutoencoderL1 of rgs


def model1():
    sizes = [1024, 512, 256, 512, 1024]
    layers = [torch.nn.Linear(a, b, bias=False) for a, b in zip(sizes, sizes[1:])]
    net = torch.nn.Sequential(*layers)

    def loss(out, y):
        hinge = torch.clamp(1 - y * out, min=0).mean()
        return hinge + L1 * sum(layer.weight.abs().sum() for layer in layers)

    return net, loss


def regressor():
    net = torch.nn.Sequential(torch.nn.Linear(1024, 512), torch.nn.Tanh(), torch.nn.Linear(512, 1), torch.nn.ReLU())
    return net, lambda out, y: torch.mean((out - y) ** 2)


def throughput(make, x, y, batch):
    net, loss_fn = make()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    n = x.shape[0]

    def epoch():
        order = torch.randperm(n)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()

    epoch()
    best = best_cpu = 0.0
    for _ in range(3):
        t, c = time.perf_counter(), time.thread_time()
        epoch()
        best = max(best, n / (time.perf_counter() - t))
        best_cpu = max(best_cpu, n / (time.thread_time() - c))
    return best, best_cpu


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    only = sys.argv[2] if len(sys.argv) > 2 else None
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    x = torch.randint(0, 2, (4000, 1024)).float() * 2 - 1
    beta = 0.1 + 0.5 * torch.rand(4000, 1)
    cases = [("model1_b10", model1, 10, 2000, x), ("model1_b100", model1, 100, 4000, x),
             ("model1_b1000", model1, 1000, 4000, x), ("regressor_b100", regressor, 100, 4000, beta)]
    for name, make, batch, samples, y in cases:
        if only is not None and name != only:
            continue
        rate, cpu_rate = throughput(make, x[:samples], y[:samples], batch)
        print(f"torch {name} {int(rate)}", flush=True)
        if threads == 1:  # one intra-op thread runs on this thread: rate per CPU second
            print(f"torch-cpu {name} {int(cpu_rate)}", flush=True)


if __name__ == "__main__":
    main()
