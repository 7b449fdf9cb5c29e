"""Fuzz the HTTP request handler in-process (the real FastAPI app through Starlette's TestClient,
no network): any body, content type and path must give a 2xx/4xx JSON answer, never a 5xx, and
a 200's findings must point exactly into the submitted text.

    python fuzz/fuzz_service.py -max_total_time=60 .fuzz-corpus/service fuzz/seeds/service
"""

from __future__ import annotations

import json
import sys
from urllib.parse import quote
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["commlint"]):
    from fastapi.testclient import TestClient

    from commlint.service.app import AppOptions, create_app

from common import check_findings

CLIENT = TestClient(create_app(AppOptions(max_body=64 * 1024)), raise_server_exceptions=False)
CLIENT.__enter__()  # run the lifespan: load the engine once
FIELDS = ["text", "kind", "format", "rules", "disable", "strip_quoted", "extra"]
VALUES = ["reply", "kb", "plain", "markdown", "html", None, True, 0, [], {}, ["acronym"], ["nope.rule"], "x" * 70_000]


def structured_body(fdp: atheris.FuzzedDataProvider) -> tuple[bytes, str | None]:
    body: dict[str, object] = {"text": fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 4000))}
    for _ in range(fdp.ConsumeIntInRange(0, 4)):
        key = FIELDS[fdp.ConsumeIntInRange(0, len(FIELDS) - 1)]
        body[key] = VALUES[fdp.ConsumeIntInRange(0, len(VALUES) - 1)] if fdp.ConsumeBool() else fdp.ConsumeUnicode(20)
    text = body["text"] if isinstance(body.get("text"), str) else None
    return json.dumps(body, ensure_ascii=fdp.ConsumeBool()).encode("utf-8", "surrogatepass"), text


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 7)
    path = "/v1/check"
    headers = {"content-type": "application/json"}
    text = None
    if mode == 0:  # raw bytes as the body
        body = fdp.ConsumeBytes(fdp.remaining_bytes())
    elif mode == 1:  # odd paths, methods and headers
        path = "/" + quote(fdp.ConsumeUnicodeNoSurrogates(30), safe="/?=&%")
        headers = {"content-type": fdp.ConsumeUnicodeNoSurrogates(20).encode("ascii", "ignore").decode() or "x"}
        body = fdp.ConsumeBytes(fdp.remaining_bytes())
    else:
        body, text = structured_body(fdp)
    method = "GET" if mode == 1 and fdp.ConsumeBool() else "POST"
    response = CLIENT.request(method, path, content=body, headers=headers)
    assert response.status_code < 500, (response.status_code, response.text[:300])
    if path == "/v1/check" and response.status_code == 200 and text is not None:
        sent = json.loads(body)
        check_findings(sent["text"], response.json()["findings"])


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
