#!/usr/bin/python3
"""Times one minibatch training step of samples/AddingProblem's model in PyTorch, for issue 13's comparison with
LstmGen's batched training (`--quick 7 --only train` of benchmarks/LstmGen.Benchmarks times the same step in C#).

The step: B = 32 adding-problem sequences of T = 50 steps (pairs: a value in U(0, 1) and a marker, two markers, one
per half; the target is the sum of the marked values) through nn.LSTM(2, 64, batch_first=True) (or nn.GRU with
--cell gru) from the zero state, nn.Linear(64, 1) on the last output, MSE against the targets, zero_grad, backward,
one Adam step (lr 0.003) over all parameters. No gradient clipping (the C# benchmark has none either). The minibatch
is drawn once and reused: only the training step is timed. One thread (torch.set_num_threads(1)), a warm-up, then
the median over rounds of about 0.3 s each.

Run with Debian's PyTorch (apt-get install python3-torch), on an otherwise idle core:
    /usr/bin/python3 benchmarks/pytorch/minibatch_step.py [--cell lstm|gru|both] [--rounds 7]
Prints, per cell, the median time per step and sequences/s, and, for orientation, the forward pass alone and
forward + backward without the optimizer.

The BLAS matters: Debian's python3-torch is built with BLAS_INFO=generic and calls whatever libblas.so.3 the system's
alternatives select, by default the netlib reference BLAS (libblas3), about 4x slower here than OpenBLAS. The script
prints the library it loaded. To measure with OpenBLAS without installing it system-wide:
    apt-get download libopenblas0-pthread && dpkg-deb -x libopenblas0-pthread_*.deb openblas
    OPENBLAS_NUM_THREADS=1 LD_LIBRARY_PATH=$PWD/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread \
        /usr/bin/python3 benchmarks/pytorch/minibatch_step.py
"""
import argparse
import statistics
import time

import torch

BATCH, LENGTH, INPUTS, HIDDEN = 32, 50, 2, 64


def adding_batch(generator):
    """[B, T, 2] inputs and [B, 1] targets of the adding problem."""
    values = torch.rand(BATCH, LENGTH, generator=generator)
    markers = torch.zeros(BATCH, LENGTH)
    first = torch.randint(0, LENGTH // 2, (BATCH,), generator=generator)
    second = torch.randint(LENGTH // 2, LENGTH, (BATCH,), generator=generator)
    rows = torch.arange(BATCH)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    return torch.stack([values, markers], dim=2), (values * markers).sum(dim=1, keepdim=True)


class Model(torch.nn.Module):
    def __init__(self, cell):
        super().__init__()
        recurrent = torch.nn.LSTM if cell == "lstm" else torch.nn.GRU
        self.recurrent = recurrent(INPUTS, HIDDEN, batch_first=True)
        self.readout = torch.nn.Linear(HIDDEN, 1)

    def forward(self, x):
        output, _ = self.recurrent(x)
        return self.readout(output[:, -1])


def median_seconds(work, rounds):
    """Median over rounds of the seconds per call; each round runs as many calls as fit in about 0.3 s."""
    start = time.perf_counter()
    for _ in range(20):  # warm-up (also sizes the rounds)
        work()
    per_call = (time.perf_counter() - start) / 20
    calls = max(1, int(0.3 / per_call))
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            work()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def run(cell, rounds):
    torch.manual_seed(1)
    model = Model(cell)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
    x, target = adding_batch(torch.Generator().manual_seed(1))
    loss_function = torch.nn.MSELoss()

    def forward():
        with torch.no_grad():
            model(x)

    def forward_backward():
        model.zero_grad()
        loss_function(model(x), target).backward()

    def training_step():
        optimizer.zero_grad()
        loss = loss_function(model(x), target)
        loss.backward()
        optimizer.step()

    results = {name: median_seconds(work, rounds) for name, work in
               (("forward", forward), ("forward+backward", forward_backward), ("training step", training_step))}
    step = results["training step"]
    print(f"{cell.upper()}(2 -> 64) + Linear(64 -> 1), B = {BATCH}, T = {LENGTH}: training step {step * 1e3:.3f} ms = "
          f"{BATCH / step:,.0f} sequences/s (forward alone {BATCH / results['forward']:,.0f}/s, forward+backward "
          f"{BATCH / results['forward+backward']:,.0f}/s)")


def blas_library():
    """The BLAS library this process mapped (Linux), e.g. .../blas/libblas.so.3 (netlib) or .../libopenblasp-r0.3.21.so."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
    except OSError:
        return "unknown"
    return ", ".join(sorted(paths)) or "none mapped"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cell", choices=["lstm", "gru", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=7)
    arguments = parser.parse_args()
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread, median of {arguments.rounds} rounds; BLAS: {blas_library()}")
    for cell in (["lstm", "gru"] if arguments.cell == "both" else [arguments.cell]):
        run(cell, arguments.rounds)


if __name__ == "__main__":
    main()
