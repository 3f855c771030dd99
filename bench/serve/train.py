"""Trains the iris model every server in bench/serve/run.sh serves, and writes the request bodies.

One scikit-learn pipeline (StandardScaler, LogisticRegression), saved three ways into OUT:
  mlserver/iris/      model.joblib + model-settings.json, for MLServer's scikit-learn runtime;
  fastapi/model.joblib, for bench/serve/fastapi_app.py;
  vigil/iris/         model.onnx (skl2onnx) + reference.csv, for Vigil with monitoring on.
and the bodies wrk sends: body-1.json, body-32.json (V2 JSON) and body-1.bin, body-32.bin (Triton's binary
tensor extension, as tritonclient sends it by default), each with a .header file holding its JSON
header's length.
"""
import json
import os
import struct
import sys

import joblib
import numpy as np
from skl2onnx import to_onnx
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

out = sys.argv[1]
iris = load_iris()
x = iris.data.astype(np.float32)
y = np.array(iris.target_names)[iris.target]
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(x, y)

for folder in ("mlserver/iris", "fastapi", "vigil/iris"):
    os.makedirs(os.path.join(out, folder), exist_ok=True)
joblib.dump(model, os.path.join(out, "mlserver/iris/model.joblib"))
joblib.dump(model, os.path.join(out, "fastapi/model.joblib"))
with open(os.path.join(out, "mlserver/iris/model-settings.json"), "w") as f:
    json.dump({"name": "iris", "implementation": "mlserver_sklearn.SKLearnModel",
               "parameters": {"uri": "./model.joblib", "version": "1"}}, f)

onnx = to_onnx(model, x[:1], options={id(model.steps[-1][1]): {"zipmap": False}}, target_opset={"": 17, "ai.onnx.ml": 3})
with open(os.path.join(out, "vigil/iris/model.onnx"), "wb") as f:
    f.write(onnx.SerializeToString())
with open(os.path.join(out, "vigil/iris/reference.csv"), "w") as f:
    f.write("sepal_length,sepal_width,petal_length,petal_width\n")
    for row in iris.data:
        f.write(",".join(repr(float(v)) for v in row) + "\n")


def v2_body(rows):
    return json.dumps({"inputs": [{"name": "input", "shape": [len(rows), 4], "datatype": "FP32",
                                   "data": [round(float(v), 1) for v in rows.ravel()]}]}, separators=(",", ":"))


with open(os.path.join(out, "body-1.json"), "w") as f:
    f.write(v2_body(iris.data[:1]))
with open(os.path.join(out, "body-32.json"), "w") as f:
    f.write(v2_body(iris.data[::150 // 32][:32]))
with open(os.path.join(out, "body-100k.json"), "w") as f:
    f.write(v2_body(np.tile(iris.data, (667, 1))[:100_000]))
with open(os.path.join(out, "body-refused.json"), "w") as f:
    f.write('{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[' + "1.5," * 1_500_000 + "x]}]}")
# tritonclient's default: binary inputs, and binary outputs for every output (binary_data_output);
# the same rows as the JSON bodies, rounded as they are.


def binary_body(name, rows):
    values = np.round(rows, 1).astype(np.float32)
    header = json.dumps({"inputs": [{"name": "input", "shape": [len(rows), 4], "datatype": "FP32",
                                     "parameters": {"binary_data_size": values.nbytes}}],
                         "parameters": {"binary_data_output": True}}, separators=(",", ":")).encode()
    with open(os.path.join(out, name), "wb") as f:
        f.write(header + values.tobytes())
    with open(os.path.join(out, name + ".header"), "w") as f:
        f.write(str(len(header)))


binary_body("body-1.bin", iris.data[:1])
binary_body("body-32.bin", iris.data[::150 // 32][:32])
