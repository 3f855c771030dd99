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
import pandas as pd
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


def distinct_rows(probe, count=1000):
    """1000 rows whose every cell comes from a probe row drawn by a 64-bit LCG, column by column:
    the same rows bench/EngineBenchmark draws (distinctRows), which a branch predictor cannot learn."""
    state, mask = 0x9E3779B97F4A7C15, (1 << 64) - 1
    rows = []
    for _ in range(count):
        row = []
        for column in range(len(probe[0])):
            state = (state * 6364136223846793005 + 1442695040888963407) & mask
            row.append(probe[(state >> 33) % len(probe)][column])
        rows.append(row)
    return rows


def report(name, call, single, repeated, distinct):
    """One line: single-row, repeated-probe and distinct 1000-row times in µs."""
    print(f"{name}\t{median_time(lambda: call(single), 2000):.2f}\t{median_time(lambda: call(repeated), 1):.1f}\t"
          f"{median_time(lambda: call(distinct), 1):.1f}")


print("model\tsingle_row_us\tbatch_1000_us\tdistinct_1000_us")
for folder in sorted((FIXTURES / "xgboost").iterdir()):
    booster = xgb.Booster(model_file=str(folder / "model.xgb.json"))
    booster.set_param({"nthread": 1})
    probe = rows_of(folder)
    single, batch = probe[:1], np.resize(probe, (1000, probe.shape[1]))
    distinct = np.array(distinct_rows(probe.tolist()), dtype=np.float64)
    categorical = folder.name == "categorical"
    def predict(x):
        return booster.inplace_predict(x, missing=np.nan) if not categorical else booster.predict(
            xgb.DMatrix(x, missing=np.nan, feature_types=["q", "c"], enable_categorical=True))
    report(f"xgboost/{folder.name}", predict, single, batch, distinct)
for folder in sorted((FIXTURES / "lightgbm").iterdir()):
    booster = lgb.Booster(model_file=str(folder / "model.lgb.txt"))
    probe = rows_of(folder)
    single, batch = probe[:1], np.resize(probe, (1000, probe.shape[1]))
    distinct = np.array(distinct_rows(probe.tolist()), dtype=np.float64)
    report(f"lightgbm/{folder.name}", lambda x: booster.predict(x, num_threads=1), single, batch, distinct)
options = ort.SessionOptions()
options.intra_op_num_threads = 1
options.inter_op_num_threads = 1
for folder in sorted((FIXTURES / "onnx").iterdir()):
    runtime = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
    dtype = np.float64 if json.loads((folder / "expected.json").read_text())["input_type"] == "double" else np.float32
    probe = rows_of(folder).astype(dtype)

    def feed(rows):
        """The rows as the graph's inputs: one tensor, or the columns split across per-column inputs."""
        tensors, column = {}, 0
        for graph_input in runtime.get_inputs():
            width = graph_input.shape[1] if len(graph_input.shape) == 2 else 1
            tensors[graph_input.name] = np.ascontiguousarray(rows[:, column:column + width])
            column += width
        return tensors
    single, batch = feed(probe[:1]), feed(np.resize(probe, (1000, probe.shape[1])))
    distinct = feed(np.array(distinct_rows(probe.tolist()), dtype=dtype))
    report(f"onnx/{folder.name}", lambda x: runtime.run(None, x), single, batch, distinct)

def names_of(encoding):
    """The category names of one feature in an XGBoost JSON model's `cats`: UTF-8 bytes split at offsets."""
    data, offsets = bytes(encoding["values"]), encoding["offsets"]
    return [data[start:end].decode() for start, end in zip(offsets, offsets[1:])]


# String categoricals: the pipelines take a float32 [n, 1] tensor per number and an object [n, 1]
# tensor per text column (a missing category as ""); the boosters take a DataFrame whose text
# columns are pandas categories with the training categories, as their users pass them.
for folder in sorted((FIXTURES / "categorical").iterdir()):
    expected = json.loads((folder / "expected.json").read_text())
    names = [f["name"] for f in expected["features"]]
    text = {f["name"] for f in expected["features"] if f["text"]}
    rows = [row for row, output in zip(expected["rows"], expected["outputs"]) if "error" not in output]
    batch_rows = [rows[i % len(rows)] for i in range(1000)]
    if (folder / "model.onnx").exists():
        runtime = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])

        def feed(rows):
            return {name: (np.array([["" if r[i] is None else r[i]] for r in rows], dtype=object) if name in text
                           else np.array([[r[i]] for r in rows], dtype=np.float32)) for i, name in enumerate(names)}
        single, batch, distinct = feed(rows[:1]), feed(batch_rows), feed(distinct_rows(rows))
        call = lambda x: runtime.run(None, x)
    else:
        def frame(rows):
            data = pd.DataFrame(rows, columns=names)
            for name in text:
                data[name] = pd.Categorical(data[name], categories=categories[name])
            return data
        if (folder / "model.xgb.json").exists():
            booster = xgb.Booster(model_file=str(folder / "model.xgb.json"))
            booster.set_param({"nthread": 1})
            categories = {name: names_of(encoding) for name, encoding in zip(names, json.loads(
                (folder / "model.xgb.json").read_text())["learner"]["gradient_booster"]["model"]["cats"]["enc"]) if name in text}
            call = lambda x: booster.inplace_predict(x)
        else:
            booster = lgb.Booster(model_file=str(folder / "model.lgb.txt"))
            categories = dict(zip([n for n in names if n in text], booster.pandas_categorical))
            call = lambda x: booster.predict(x, num_threads=1)
        single, batch, distinct = frame(rows[:1]), frame(batch_rows), frame(distinct_rows(rows))
    report(f"categorical/{folder.name}", call, single, batch, distinct)
