"""The reference side of bench/EngineBenchmark: xgboost, lightgbm and onnxruntime prediction latency
on the fixture models and rows, single row and 1000 rows, fastest of 7, one thread each. Run with
.venv-fixtures' python (bench/engine.sh does).
"""
import json
import pathlib
import time

import lightgbm as lgb
import numpy as np
import onnxruntime as ort
import xgboost as xgb

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "Tests" / "VigilModelsTests" / "Fixtures"


def rows_of(folder):
    rows = json.loads((folder / "expected.json").read_text())["rows"]
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=np.float64)


def median_time(call, iterations):
    times = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(iterations):
            call()
        times.append((time.perf_counter() - start) / iterations)
    return min(times) * 1e6  # the fastest of 7, as the Swift side reports


print("model\tsingle_row_us\tbatch_1000_us")
for folder in sorted((FIXTURES / "xgboost").iterdir()):
    booster = xgb.Booster(model_file=str(folder / "model.xgb.json"))
    booster.set_param({"nthread": 1})
    probe = rows_of(folder)
    single, batch = probe[:1], np.resize(probe, (1000, probe.shape[1]))
    categorical = folder.name == "categorical"
    def predict(x):
        return booster.inplace_predict(x, missing=np.nan) if not categorical else booster.predict(
            xgb.DMatrix(x, missing=np.nan, feature_types=["q", "c"], enable_categorical=True))
    print(f"xgboost/{folder.name}\t{median_time(lambda: predict(single), 2000):.2f}\t{median_time(lambda: predict(batch), 1):.1f}")
for folder in sorted((FIXTURES / "lightgbm").iterdir()):
    booster = lgb.Booster(model_file=str(folder / "model.lgb.txt"))
    probe = rows_of(folder)
    single, batch = probe[:1], np.resize(probe, (1000, probe.shape[1]))
    print(f"lightgbm/{folder.name}\t{median_time(lambda: booster.predict(single, num_threads=1), 2000):.2f}\t"
          f"{median_time(lambda: booster.predict(batch, num_threads=1), 1):.1f}")
options = ort.SessionOptions()
options.intra_op_num_threads = 1
options.inter_op_num_threads = 1
for folder in sorted((FIXTURES / "onnx").iterdir()):
    session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
    dtype = np.float64 if json.loads((folder / "expected.json").read_text())["input_type"] == "double" else np.float32
    probe = rows_of(folder).astype(dtype)

    def feed(rows):
        """The rows as the graph's inputs: one tensor, or the columns split across per-column inputs."""
        tensors, column = {}, 0
        for graph_input in session.get_inputs():
            width = graph_input.shape[1] if len(graph_input.shape) == 2 else 1
            tensors[graph_input.name] = np.ascontiguousarray(rows[:, column:column + width])
            column += width
        return tensors
    single, batch = feed(probe[:1]), feed(np.resize(probe, (1000, probe.shape[1])))
    print(f"onnx/{folder.name}\t{median_time(lambda: session.run(None, single), 2000):.2f}\t"
          f"{median_time(lambda: session.run(None, batch), 1):.1f}")
