/// The OpenAPI 3.1 description of every route, served at `/openapi.json`.
///
/// Written by hand to match the controllers; `OpenAPITests` checks it against the spec with
/// openapi-spec-validator and schemathesis fuzzes the live server from it.
enum OpenAPIDocument {
    /// The document with `basePath` as its server URL, so clients and fuzzers find the routes.
    static func json(basePath: String) -> String {
        template
            .replacing("\"__SERVER__\"", with: "\"\(basePath.isEmpty ? "/" : basePath)\"")
            .replacing("\"__VERSION__\"", with: "\"\(VigilVersion.current)\"")
    }

    private static let template = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Vigil",
            "version": "__VERSION__",
            "description": "Serves tabular models over KServe V2 (Open Inference Protocol) and TF-Serving V1, logs every feature, tests for drift and raises alerts. Every error is {\"error\": \"...\"}."
          },
          "servers": [{"url": "__SERVER__"}],
          "components": {
            "securitySchemes": {
              "adminToken": {"type": "http", "scheme": "bearer", "description": "--admin-token; without one the admin routes answer 403"}
            },
            "parameters": {
              "name": {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}, "description": "model name"},
              "version": {"name": "version", "in": "path", "required": true, "schema": {"type": "string"}, "description": "model version folder"}
            },
            "schemas": {
              "Error": {
                "type": "object", "required": ["error"], "additionalProperties": false,
                "properties": {"error": {"type": "string", "description": "what went wrong and what to change"}}
              },
              "Empty": {"type": "object", "additionalProperties": false},
              "ServerMetadata": {
                "type": "object", "required": ["name", "version", "extensions"],
                "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "extensions": {"type": "array", "items": {"type": "string"}}}
              },
              "TensorMetadata": {
                "type": "object", "required": ["name", "datatype", "shape"],
                "properties": {"name": {"type": "string"}, "datatype": {"type": "string"}, "shape": {"type": "array", "items": {"type": "integer"}}}
              },
              "ModelMetadata": {
                "type": "object", "required": ["name", "versions", "platform", "inputs", "outputs"],
                "properties": {
                  "name": {"type": "string"},
                  "versions": {"type": "array", "items": {"type": "string"}},
                  "platform": {"type": "string"},
                  "inputs": {"type": "array", "items": {"$ref": "#/components/schemas/TensorMetadata"}},
                  "outputs": {"type": "array", "items": {"$ref": "#/components/schemas/TensorMetadata"}},
                  "parameters": {"type": "object"}
                }
              },
              "TensorData": {
                "description": "flat row-major or nested; numbers, booleans or strings as the datatype says. A BYTES tensor carries category names for text features, null for a missing one, and may mix them with numbers in a [batch, n] tensor",
                "type": "array"
              },
              "InferenceRequest": {
                "type": "object", "required": ["inputs"],
                "properties": {
                  "id": {"type": "string"},
                  "parameters": {"type": "object"},
                  "inputs": {
                    "type": "array",
                    "items": {
                      "type": "object", "required": ["name", "shape", "datatype"],
                      "properties": {
                        "name": {"type": "string"},
                        "shape": {"type": "array", "items": {"type": "integer"}},
                        "datatype": {"type": "string", "enum": ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"]},
                        "parameters": {"type": "object"},
                        "data": {"$ref": "#/components/schemas/TensorData"}
                      }
                    }
                  },
                  "outputs": {
                    "type": "array",
                    "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "parameters": {"type": "object"}}}
                  }
                }
              },
              "InferenceResponse": {
                "type": "object", "required": ["model_name", "model_version", "outputs"],
                "properties": {
                  "model_name": {"type": "string"},
                  "model_version": {"type": "string"},
                  "id": {"type": "string"},
                  "outputs": {
                    "type": "array",
                    "items": {
                      "type": "object", "required": ["name", "datatype", "shape"],
                      "properties": {
                        "name": {"type": "string"}, "datatype": {"type": "string"},
                        "shape": {"type": "array", "items": {"type": "integer"}},
                        "parameters": {"type": "object"},
                        "data": {"type": "array"}
                      }
                    }
                  }
                }
              },
              "PredictRequest": {
                "type": "object",
                "description": "row instances (lists, or objects keyed by feature name), or columnar inputs",
                "properties": {"instances": {"type": "array"}, "inputs": {}}
              },
              "PredictResponse": {
                "type": "object", "required": ["predictions"], "properties": {"predictions": {"type": "array"}}
              },
              "ModelStatus": {
                "type": "object", "required": ["model_version_status"],
                "properties": {"model_version_status": {"type": "array", "items": {"type": "object"}}}
              },
              "RepositoryIndex": {
                "type": "array",
                "items": {
                  "type": "object", "required": ["name", "state"],
                  "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "state": {"type": "string"}, "reason": {"type": "string"}}
                }
              },
              "DriftReport": {"type": "object", "description": "the stored drift report: window, status, per-column statistics and verdicts"},
              "DriftHistory": {
                "type": "object", "required": ["model", "reports"],
                "properties": {"model": {"type": "string"}, "reports": {"type": "array", "items": {"type": "object"}}}
              },
              "Alerts": {
                "type": "object", "required": ["alerts"], "properties": {"alerts": {"type": "array", "items": {"type": "object"}}}
              }
            },
            "responses": {
              "BadRequest": {"description": "the request cannot be used; the message says why", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "NotFound": {"description": "no such model, version, alert or route", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "NotReady": {"description": "not ready, or the database could not be read in time", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "TooLarge": {"description": "the body is over the limit, before or after gzip", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Unsupported": {"description": "a Content-Type or Content-Encoding Vigil does not take", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Unauthorized": {"description": "no bearer token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Forbidden": {"description": "a wrong token, or admin routes are off", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Empty": {"description": "done", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Empty"}}}},
              "Inferred": {
                "description": "the outputs; binary outputs follow the JSON part when asked for",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InferenceResponse"}}, "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
              }
            },
            "requestBodies": {
              "Infer": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InferenceRequest"}}}}
            }
          },
          "paths": {
            "/v2/health/live": {"get": {"summary": "the server is up", "responses": {"200": {"$ref": "#/components/responses/Empty"}}}},
            "/v2/health/ready": {"get": {"summary": "every model is ready (with --strict-readiness)", "responses": {"200": {"$ref": "#/components/responses/Empty"}, "503": {"$ref": "#/components/responses/NotReady"}}}},
            "/v2": {"get": {"summary": "server metadata", "responses": {"200": {"description": "server metadata", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ServerMetadata"}}}}}}},
            "/v2/models/{name}": {
              "parameters": [{"$ref": "#/components/parameters/name"}],
              "get": {"summary": "model metadata", "responses": {"200": {"description": "metadata", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ModelMetadata"}}}}, "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/NotReady"}}}
            },
            "/v2/models/{name}/versions/{version}": {
              "parameters": [{"$ref": "#/components/parameters/name"}, {"$ref": "#/components/parameters/version"}],
              "get": {"summary": "model version metadata", "responses": {"200": {"description": "metadata", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ModelMetadata"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/NotReady"}}}
            },
            "/v2/models/{name}/ready": {
              "parameters": [{"$ref": "#/components/parameters/name"}],
              "get": {"summary": "model readiness", "responses": {"200": {"$ref": "#/components/responses/Empty"}, "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/NotReady"}}}
            },
            "/v2/models/{name}/versions/{version}/ready": {
              "parameters": [{"$ref": "#/components/parameters/name"}, {"$ref": "#/components/parameters/version"}],
              "get": {"summary": "model version readiness", "responses": {"200": {"$ref": "#/components/responses/Empty"}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/NotReady"}}}
            },
            "/v2/models/{name}/infer": {
              "parameters": [{"$ref": "#/components/parameters/name"}],
              "post": {
                "summary": "KServe V2 inference; with Inference-Header-Content-Length, Triton's binary tensor data extension",
                "requestBody": {"$ref": "#/components/requestBodies/Infer"},
                "responses": {"200": {"$ref": "#/components/responses/Inferred"}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}, "413": {"$ref": "#/components/responses/TooLarge"}, "415": {"$ref": "#/components/responses/Unsupported"}, "503": {"$ref": "#/components/responses/NotReady"}}
              }
            },
            "/v2/models/{name}/versions/{version}/infer": {
              "parameters": [{"$ref": "#/components/parameters/name"}, {"$ref": "#/components/parameters/version"}],
              "post": {
                "summary": "KServe V2 inference; with Inference-Header-Content-Length, Triton's binary tensor data extension",
                "requestBody": {"$ref": "#/components/requestBodies/Infer"},
                "responses": {"200": {"$ref": "#/components/responses/Inferred"}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}, "413": {"$ref": "#/components/responses/TooLarge"}, "415": {"$ref": "#/components/responses/Unsupported"}, "503": {"$ref": "#/components/responses/NotReady"}}
              }
            },
            "/v2/repository/index": {
              "post": {"summary": "every model and its state", "security": [{"adminToken": []}], "responses": {"200": {"description": "the index", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RepositoryIndex"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}}}
            },
            "/v2/repository/models/{name}/load": {
              "parameters": [{"$ref": "#/components/parameters/name"}],
              "post": {"summary": "(re)load a model folder", "security": [{"adminToken": []}], "responses": {"200": {"$ref": "#/components/responses/Empty"}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/v2/repository/models/{name}/unload": {
              "parameters": [{"$ref": "#/components/parameters/name"}],
              "post": {"summary": "stop serving a model", "security": [{"adminToken": []}], "responses": {"200": {"$ref": "#/components/responses/Empty"}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/v1/models/{name}:predict": {
              "parameters": [{"$ref": "#/components/parameters/name"}],
              "post": {
                "summary": "TF-Serving / KServe V1 prediction",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictRequest"}}}},
                "responses": {"200": {"description": "predictions", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictResponse"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}, "413": {"$ref": "#/components/responses/TooLarge"}, "415": {"$ref": "#/components/responses/Unsupported"}, "503": {"$ref": "#/components/responses/NotReady"}}
              }
            },
            "/v1/models/{name}": {
              "parameters": [{"$ref": "#/components/parameters/name"}],
              "get": {"summary": "TF-Serving model status", "responses": {"200": {"description": "status", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ModelStatus"}}}}, "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/v1/models/{name}/drift": {
              "parameters": [{"$ref": "#/components/parameters/name"}],
              "get": {"summary": "the latest drift report", "responses": {"200": {"description": "the report, or the reason the model is not monitored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DriftReport"}}}}, "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/NotReady"}}}
            },
            "/v1/models/{name}/drift/history": {
              "parameters": [
                {"$ref": "#/components/parameters/name"},
                {"name": "since", "in": "query", "schema": {"type": "string"}, "description": "seconds since 1970 or ISO 8601"},
                {"name": "until", "in": "query", "schema": {"type": "string"}, "description": "seconds since 1970 or ISO 8601"}
              ],
              "get": {"summary": "drift reports in a window", "responses": {"200": {"description": "reports, oldest first", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DriftHistory"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/NotReady"}}}
            },
            "/v1/alerts": {
              "parameters": [{"name": "state", "in": "query", "schema": {"type": "string", "enum": ["pending", "firing", "resolved", "inactive"]}}],
              "get": {"summary": "alerts, optionally in one state", "responses": {"200": {"description": "alerts", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Alerts"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "503": {"$ref": "#/components/responses/NotReady"}}}
            },
            "/v1/alerts/{id}/ack": {
              "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
              "post": {"summary": "acknowledge an alert", "security": [{"adminToken": []}], "responses": {"200": {"description": "the alert", "content": {"application/json": {"schema": {"type": "object"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/NotReady"}}}
            },
            "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text format 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/openapi.json": {"get": {"summary": "this document", "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/dashboard": {"get": {"summary": "the drift dashboard: every model", "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}, "303": {"description": "to the login form, with --dashboard-token"}, "304": {"description": "not modified"}, "503": {"$ref": "#/components/responses/NotReady"}}}},
            "/dashboard/models/{name}": {
              "parameters": [{"$ref": "#/components/parameters/name"}],
              "get": {"summary": "one model's drift page", "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}, "303": {"description": "to the login form"}, "304": {"description": "not modified"}, "400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/NotReady"}}}
            }
          }
        }
        """#
}
