"""Evidently's data drift report (Report([DataDriftPreset()]) saved as HTML) on the same files:
prints seconds to build and save it, and its size in bytes."""
import sys, time, os
import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset

reference, current, target = sys.argv[1], sys.argv[2], sys.argv[3]
ref, cur = pd.read_csv(reference), pd.read_csv(current)
start = time.perf_counter()
snapshot = Report([DataDriftPreset()]).run(current_data=cur, reference_data=ref)
snapshot.save_html(target)
print(f"{time.perf_counter() - start:.3f} {os.path.getsize(target)}")
