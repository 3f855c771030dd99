"""Speaks to a running Vigil with the official Triton HTTP client and checks every answer.

Usage: python tools/tritonclient_check.py HOST:PORT
It uses the bundled iris-logistic model and scikit-learn's own outputs for it
(Tests/VigilModelsTests/Fixtures/native/iris-logistic.expected.json), and the bundled shop-purchases
pipeline, whose string inputs go as BYTES tensors (numpy object arrays) next to FP32 ones, against
onnxruntime's outputs (Tests/VigilModelsTests/Fixtures/shop-purchases.expected.json). Exits non-zero
on any mismatch.
"""
import json
import pathlib
import sys

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

ROOT = pathlib.Path(__file__).resolve().parents[1]
MODEL = "iris-logistic"


def check(condition, message):
    if not condition:
        raise SystemExit(f"tritonclient check failed: {message}")


def main(url):
    expected = json.loads((ROOT / "Tests/VigilModelsTests/Fixtures/native" / f"{MODEL}.expected.json").read_text())
    rows = np.array(expected["rows"], dtype=np.float32)
    client = httpclient.InferenceServerClient(url=url)

    check(client.is_server_live(), "is_server_live")
    check(client.is_server_ready(), "is_server_ready")
    check(client.is_model_ready(MODEL), "is_model_ready")
    check(not client.is_model_ready("no-such-model"), "is_model_ready for an unknown model")

    metadata = client.get_model_metadata(MODEL)
    check(metadata["name"] == MODEL, f"metadata name {metadata['name']}")
    check(metadata["inputs"][0]["shape"] == [-1, 4], f"input shape {metadata['inputs']}")
    check([o["name"] for o in metadata["outputs"]] == ["label", "probabilities"], f"outputs {metadata['outputs']}")
    server = client.get_server_metadata()
    check(server["name"] == "vigil", f"server metadata {server}")

    infer_input = httpclient.InferInput(metadata["inputs"][0]["name"], list(rows.shape), "FP32")
    infer_input.set_data_from_numpy(rows, binary_data=False)
    outputs = [
        httpclient.InferRequestedOutput("label", binary_data=False),
        httpclient.InferRequestedOutput("probabilities", binary_data=False),
    ]
    result = client.infer(MODEL, inputs=[infer_input], outputs=outputs, request_id="tc-1")
    check(result.get_response()["id"] == "tc-1", "request id echo")
    labels = [v.decode() if isinstance(v, bytes) else v for v in result.as_numpy("label").tolist()]
    check(labels == expected["labels"], f"labels {labels} != {expected['labels']}")
    # The model computes in FP64 from FP32-rounded inputs; scikit-learn saw FP64 inputs.
    probabilities = result.as_numpy("probabilities")
    difference = np.max(np.abs(probabilities - np.array(expected["probabilities"])))
    check(probabilities.shape == (len(rows), 3), f"probabilities shape {probabilities.shape}")
    check(difference < 1e-5, f"probabilities differ by {difference}")

    # Triton's binary tensor extension, as the client uses it by default: binary inputs, and
    # binary outputs both when none are named (binary_data_output) and when each asks for it.
    def check_result(result, what):
        got = [v.decode() if isinstance(v, bytes) else v for v in result.as_numpy("label").tolist()]
        check(got == expected["labels"], f"{what}: labels {got}")
        gap = np.max(np.abs(result.as_numpy("probabilities") - np.array(expected["probabilities"])))
        check(gap < 1e-5, f"{what}: probabilities differ by {gap}")

    binary_input = httpclient.InferInput(metadata["inputs"][0]["name"], list(rows.shape), "FP32")
    binary_input.set_data_from_numpy(rows)  # binary_data=True is the client's default
    for inputs, label in [([binary_input], "binary inputs"), ([infer_input], "JSON inputs")]:
        result = client.infer(MODEL, inputs=inputs)
        check(all("data" not in o and o["parameters"]["binary_data_size"] > 0 for o in result.get_response()["outputs"]),
              f"{label}, no outputs named: outputs not binary: {result.get_response()}")
        check_result(result, f"{label}, binary_data_output")
        result = client.infer(MODEL, inputs=inputs, outputs=[httpclient.InferRequestedOutput("label"),
                                                             httpclient.InferRequestedOutput("probabilities")])
        check_result(result, f"{label}, binary outputs requested")
    mixed = client.infer(MODEL, inputs=[binary_input], outputs=[httpclient.InferRequestedOutput("label", binary_data=False),
                                                                 httpclient.InferRequestedOutput("probabilities")])
    outputs = {o["name"]: o for o in mixed.get_response()["outputs"]}
    check("data" in outputs["label"] and "data" not in outputs["probabilities"], f"mixed outputs: {outputs}")
    check_result(mixed, "one JSON output, one binary")

    # gzip both ways around the binary body (the header length counts the uncompressed JSON).
    zipped = client.infer(MODEL, inputs=[binary_input], request_compression_algorithm="gzip", response_compression_algorithm="gzip")
    check_result(zipped, "binary with gzip both ways")

    # A batch of 32 rows, binary both ways, against the same rows sent as JSON.
    big = np.tile(rows, (2, 1))[:32]
    big_input = httpclient.InferInput("input", list(big.shape), "FP32")
    big_input.set_data_from_numpy(big)
    big_json = httpclient.InferInput("input", list(big.shape), "FP32")
    big_json.set_data_from_numpy(big, binary_data=False)
    binary_result = client.infer(MODEL, inputs=[big_input])
    json_result = client.infer(MODEL, inputs=[big_json], outputs=[httpclient.InferRequestedOutput("probabilities", binary_data=False)])
    check(binary_result.as_numpy("probabilities").shape == (32, 3), "batch of 32")
    check(np.array_equal(binary_result.as_numpy("probabilities"), json_result.as_numpy("probabilities")),
          "a batch of 32 differs between binary and JSON")

    try:
        bad = httpclient.InferInput("input", [1, 3], "FP32")
        bad.set_data_from_numpy(np.zeros((1, 3), dtype=np.float32), binary_data=False)
        client.infer(MODEL, inputs=[bad])
        check(False, "a wrong shape was accepted")
    except InferenceServerException as error:
        check("expects 4" in str(error), f"wrong-shape error message: {error}")
        check(error.status() == "400", f"wrong-shape status {error.status()}")
    string_gap = check_string_inputs(client)
    print(f"tritonclient check passed: {url} ({len(rows)} rows, max |dp| {difference:.2e}; "
          f"BYTES inputs: max |dp| {string_gap:.2e})")


def check_string_inputs(client):
    """BYTES inputs beside FP32 ones, as JSON and as binary, against onnxruntime's answers."""
    model = "shop-purchases"
    expected = json.loads((ROOT / "Tests/VigilModelsTests/Fixtures" / f"{model}.expected.json").read_text())
    metadata = client.get_model_metadata(model)
    types = {i["name"]: i["datatype"] for i in metadata["inputs"]}
    check(types == {"size": "FP32", "weight": "FP32", "colour": "BYTES", "country": "BYTES"}, f"string model inputs {metadata['inputs']}")
    rows = expected["rows"]
    columns = {"size": 0, "weight": 1, "colour": 2, "country": 3}
    worst = 0.0
    for binary in (False, True):
        inputs = []
        for name, index in columns.items():
            if types[name] == "BYTES":
                # A missing category travels as "", as onnxruntime was fed it.
                values = np.array([["" if row[index] is None else row[index]] for row in rows], dtype=object)
            else:
                values = np.array([[row[index]] for row in rows], dtype=np.float32)
            tensor = httpclient.InferInput(name, list(values.shape), types[name])
            tensor.set_data_from_numpy(values, binary_data=binary)
            inputs.append(tensor)
        result = client.infer(model, inputs=inputs)
        labels = [v.decode() if isinstance(v, bytes) else v for v in result.as_numpy("label").tolist()]
        check(labels == expected["labels"], f"BYTES inputs (binary={binary}): labels {labels} != {expected['labels']}")
        gap = float(np.max(np.abs(result.as_numpy("probabilities") - np.array(expected["probabilities"]))))
        check(gap < 1e-5, f"BYTES inputs (binary={binary}): probabilities differ by {gap}")
        worst = max(worst, gap)
    try:
        strict = httpclient.InferInput("colour", [1, 1], "FP32")
        strict.set_data_from_numpy(np.zeros((1, 1), dtype=np.float32), binary_data=False)
        others = []
        for name in ("size", "weight"):
            tensor = httpclient.InferInput(name, [1, 1], "FP32")
            tensor.set_data_from_numpy(np.zeros((1, 1), dtype=np.float32), binary_data=False)
            others.append(tensor)
        country = httpclient.InferInput("country", [1, 1], "BYTES")
        country.set_data_from_numpy(np.array([["fr"]], dtype=object), binary_data=False)
        client.infer(model, inputs=others + [strict, country])
        check(False, "a number for a text feature was accepted")
    except InferenceServerException as error:
        check(error.status() == "400" and "BYTES" in str(error), f"text feature sent as FP32: {error}")
    return worst


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8080")
