"""Sends the bundled models the traffic the README's screenshots show (run by tools/screenshots.sh).

The three native models, which compute in FP64, get rows of their own reference.csv, so their
windows look like their training data, except diabetes-linear, half of whose columns arrive
shifted by 1 to 1.5 reference standard deviations: the dataset drift the dashboard then shows. (The FP32
models log their inputs as rounded to FP32, while their reference profiles keep the CSV's doubles,
so a value at a reference extreme can land past it: that would show drift no client caused.)
Standard library only; one V1 request per batch of rows.
"""
import csv
import json
import statistics
import sys
import urllib.request

base = sys.argv[1]
models = sys.argv[2]
shifted = {"diabetes-linear": {"bmi": 1.5, "s5": 1.5, "bp": 1.0, "s4": -1.0, "s6": 1.0}}


def rows(name):
    with open(f"{models}/{name}/reference.csv", newline="") as file:
        table = list(csv.DictReader(file))
    shifts = shifted.get(name, {})
    scale = {column: statistics.pstdev(float(row[column]) for row in table) for column in shifts}
    out = []
    for row in table:
        cells = {key: value for key, value in row.items() if key not in ("target", "prediction")}
        for column, by in shifts.items():
            cells[column] = str(float(cells[column]) + by * scale[column])
        out.append({key: (float(value) if value not in ("",) and is_number(value) else (value or None)) for key, value in cells.items()})
    return out


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


for name in ["iris-logistic", "breast-cancer-logistic", "diabetes-linear"]:
    batch = rows(name)[:600]
    for start in range(0, len(batch), 100):
        body = json.dumps({"instances": batch[start:start + 100]}).encode()
        request = urllib.request.Request(f"{base}/v1/models/{name}:predict", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
