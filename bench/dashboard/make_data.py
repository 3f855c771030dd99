"""Writes the dashboard benchmark's data: 20 ten-feature models and two wide ones (50 and 500
features), each a native linear model with a 1,000-row reference.csv, plus a current CSV and a
V2 request body per model in which the first fifth of the features is shifted by one sd."""
import json, os, sys
import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(7)
models = {f"m{index:02d}": 10 for index in range(20)}
models.update({"wide50": 50, "wide500": 500})
for name, width in models.items():
    folder = os.path.join(out, "models", name)
    os.makedirs(folder, exist_ok=True)
    names = [f"f{index}" for index in range(width)]
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump({"format": "vigil-linear", "kind": "regression", "features": names,
                   "coefficients": [[1.0] * width], "intercepts": [0.0]}, f)
    reference = rng.normal(size=(1000, width))
    current = rng.normal(size=(1000, width))
    current[:, : max(1, width // 5)] += 1.0
    header = ",".join(names)
    np.savetxt(os.path.join(folder, "reference.csv"), reference, fmt="%.5f", delimiter=",", header=header, comments="")
    np.savetxt(os.path.join(out, f"{name}.current.csv"), current, fmt="%.5f", delimiter=",", header=header, comments="")
    with open(os.path.join(out, f"{name}.body.json"), "w") as f:
        json.dump({"inputs": [{"name": "input", "shape": [1000, width], "datatype": "FP64",
                               "data": np.round(current, 5).tolist()}]}, f)
