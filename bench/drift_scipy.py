"""The peer side of bench/DriftBenchmark: the same tests with scipy/numpy, and Evidently's
DataDriftPreset when it is installed, on 50 features × 100,000 rows (same sizes and distributions:
N(0, 1), five features shifted by 0.5 sd in the current data).

Run: python bench/drift_scipy.py [features] [rows]   (a venv with numpy, scipy; evidently optional)
"""
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

features = int(sys.argv[1]) if len(sys.argv) > 1 else 50
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
rng = np.random.default_rng(2026)
reference = rng.normal(0, 1, (rows, features))
current = rng.normal(0, 1, (rows, features))
current[:, :5] += 0.5


def scipy_run():
    pvalues, drifted = [], 0
    for j in range(features):
        ref, cur = reference[:, j], current[:, j]
        ks = stats.ks_2samp(ref, cur)
        w = stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
        edges = np.unique(np.quantile(ref, np.linspace(0, 1, 11)))
        rc = np.histogram(np.clip(ref, edges[0], edges[-1]), edges)[0] / rows
        cc = np.histogram(np.clip(cur, edges[0], edges[-1]), edges)[0] / rows
        rc, cc = np.where(rc == 0, 1e-4, rc), np.where(cc == 0, 1e-4, cc)
        psi = np.sum((cc - rc) * np.log(cc / rc))
        js = distance.jensenshannon(rc, cc)
        pvalues.append(ks.pvalue)
        drifted += (w >= 0.1 or psi >= 0.2 or js >= 0.1)
    adjusted = stats.false_discovery_control(pvalues)
    return drifted, adjusted


times = []
for _ in range(5):
    start = time.perf_counter()
    scipy_run()
    times.append(time.perf_counter() - start)
print(f"scipy full-data run: median {sorted(times)[2] * 1000:.1f} ms of 5")

try:
    import pandas as pd
    from evidently import Report
    from evidently.presets import DataDriftPreset
except Exception as error:  # noqa: BLE001 - report what is missing and carry on
    print(f"evidently not available: {error}")
else:
    columns = [f"f{j}" for j in range(features)]
    ref_df, cur_df = pd.DataFrame(reference, columns=columns), pd.DataFrame(current, columns=columns)
    evidently_times = []
    for _ in range(3):
        start = time.perf_counter()
        Report([DataDriftPreset()]).run(cur_df, ref_df)
        evidently_times.append(time.perf_counter() - start)
    print(f"evidently DataDriftPreset: median {sorted(evidently_times)[1] * 1000:.1f} ms of 3")
