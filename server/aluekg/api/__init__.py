"""The named queries of queries/ as a Web API: GET /api/{name}, described at /openapi.json."""
