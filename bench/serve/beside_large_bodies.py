"""One-row latency beside large bodies: one keepalive connection posts 100,000-row bodies without
pause while another client sends 300 one-row requests, each on a new connection, 10 ms apart.
Prints the one-row latencies' p50, p90, p99 and max, and the large requests' mean time.

Run by hand against a Vigil serving the bundled models, to compare two builds side by side:
    python3 bench/serve/beside_large_bodies.py PORT
"""
import json
import random
import socket
import sys
import threading
import time

port = int(sys.argv[1])
path = "/v2/models/iris-onnx/infer"
rng = random.Random(7)
rows = 100_000
large = json.dumps({"inputs": [{"name": "input", "shape": [rows, 4], "datatype": "FP32",
                                "data": [round(rng.uniform(0.1, 8.0), 1) for _ in range(rows * 4)]}]}).encode()
small = json.dumps({"inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}).encode()


def request(body):
    head = "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (path, len(body))
    return head.encode() + body


def read_response(stream):
    status = stream.readline()
    assert b" 200 " in status, status
    length = 0
    while True:
        line = stream.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    stream.read(length)


stop = threading.Event()
large_times = []


def post_large_bodies():
    connection = socket.create_connection(("127.0.0.1", port))
    stream = connection.makefile("rb")
    message = request(large)
    while not stop.is_set():
        started = time.perf_counter()
        connection.sendall(message)
        read_response(stream)
        large_times.append(time.perf_counter() - started)
    connection.close()


sender = threading.Thread(target=post_large_bodies)
sender.start()
time.sleep(0.5)
latencies = []
message = request(small)
for _ in range(300):
    started = time.perf_counter()
    connection = socket.create_connection(("127.0.0.1", port))
    stream = connection.makefile("rb")
    connection.sendall(message)
    read_response(stream)
    connection.close()
    latencies.append(time.perf_counter() - started)
    time.sleep(0.01)
stop.set()
sender.join(timeout=60)
latencies.sort()
n = len(latencies)
print("one row on a new connection: p50 %.2f ms, p90 %.2f, p99 %.2f, max %.2f; %d large bodies beside it, mean %.1f ms"
      % (latencies[n // 2] * 1e3, latencies[int(n * 0.9)] * 1e3, latencies[int(n * 0.99)] * 1e3, latencies[-1] * 1e3,
         len(large_times), sum(large_times) / max(len(large_times), 1) * 1e3))
