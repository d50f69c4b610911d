"""Times process start-up: rgs -e '1' versus python3 -c 'import numpy' (the notebook baseline)."""
import statistics
import subprocess
import sys
import time


def median_seconds(cmd, runs):
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main():
    rgs, runs = sys.argv[1], int(sys.argv[2])
    subprocess.run([rgs, "-e", "1"], check=True)  # warm the page cache
    ours = median_seconds([rgs, "-e", "1"], runs)
    numpy = median_seconds([sys.executable, "-c", "import numpy"], runs)
    print(f"rgs -e '1'                 median {ours * 1e3:7.1f} ms over {runs} runs")
    print(f"python3 -c 'import numpy'  median {numpy * 1e3:7.1f} ms over {runs} runs")
    print(f"ratio (numpy / rgs)        {numpy / ours:7.1f}x  (target >= 5x)")


main()
