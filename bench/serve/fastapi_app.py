"""What people write themselves: FastAPI + joblib + scikit-learn, speaking enough of V2 for the benchmark.

Run: MODEL=path/model.joblib uvicorn fastapi_app:app --port PORT
"""
import os
from typing import List, Optional

import joblib
import numpy as np
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

model = joblib.load(os.environ["MODEL"])
classes = [str(c) for c in model.classes_]
app = FastAPI()


class Tensor(BaseModel):
    name: str
    shape: List[int]
    datatype: str
    data: list


class InferenceRequest(BaseModel):
    id: Optional[str] = None
    inputs: List[Tensor]


@app.get("/v2/health/ready")
def ready():
    return {}


@app.post("/v2/models/{name}/infer")
def infer(name: str, request: InferenceRequest):
    tensor = request.inputs[0]
    try:
        x = np.asarray(tensor.data, dtype=np.float32).reshape(tensor.shape)
    except ValueError as error:
        raise HTTPException(status_code=400, detail=str(error))
    probabilities = model.predict_proba(x)
    labels = [classes[i] for i in probabilities.argmax(axis=1)]
    rows = len(labels)
    return {"model_name": name, "model_version": "1", "outputs": [
        {"name": "label", "datatype": "BYTES", "shape": [rows], "data": labels},
        {"name": "probabilities", "datatype": "FP32", "shape": [rows, len(classes)],
         "data": probabilities.astype(np.float32).ravel().tolist()},
    ]}
