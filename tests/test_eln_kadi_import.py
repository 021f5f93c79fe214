"""kadi-apy's real `import_eln`, through its real HTTP client, against a recording fake Kadi4Mat.

The fake answers the few API calls the importer makes (create a collection and records, read a
record, link it, upload its files, set its extras) the way Kadi4Mat's API documents them, and
refuses a record identifier that is already taken (409, as Kadi does), so a repeated title shows
up as a retry. It records every request; the tests read what a Kadi4Mat user would see.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from benchsheet.cli import main

pytest.importorskip("kadi_apy")
pytest.importorskip("markdown_it")

from eln_sanitisers import kadi_shown, tick_box_lines, visible_text

REPO = Path(__file__).resolve().parents[1]
PROTOCOLS = sorted((REPO / "protocols").glob("*.yaml"))
API = "/api/v1"


class FakeKadi(BaseHTTPRequestHandler):
    """One Kadi4Mat instance: numbered resources, unique record identifiers, a request log."""

    log: list[tuple[str, str, Any]]
    records: dict[int, dict[str, Any]]
    identifiers: set[str]
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the log is the `log` list."""

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(data)
        return data

    def _answer(self, status: int, document: dict[str, Any]) -> None:
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _url(self, path: str) -> str:
        return f"http://{self.headers['Host']}{API}{path}"

    def _record_meta(self, number: int) -> dict[str, Any]:
        return {**self.records[number], "id": number, "_actions": {
            "edit": self._url(f"/records/{number}"),
            "new_upload": self._url(f"/records/{number}/uploads")}}

    def do_POST(self) -> None:
        body = self._body()
        with self.lock:
            self.log.append(("POST", self.path, body))
            number = len(self.log)
            if self.path == f"{API}/records":
                if body["identifier"] in self.identifiers:
                    self._answer(409, {"errors": {"identifier": ["already in use"]}})
                    return
                self.identifiers.add(body["identifier"])
                self.records[number] = {**body, "extras": [], "files": []}
                self._answer(201, {"id": number})
            elif self.path == f"{API}/collections":
                self._answer(201, {"id": number})
            elif match := re.fullmatch(rf"{API}/records/(\d+)/uploads", self.path):
                self.records[int(match[1])]["files"].append(body["name"])
                self._answer(201, {"upload_type": "direct", "_actions": {
                    "upload_data": self._url(f"/uploads/{number}")}})
            else:
                self._answer(201, {})

    def do_GET(self) -> None:
        with self.lock:
            self.log.append(("GET", self.path, None))
            match = re.fullmatch(rf"{API}/records/(\d+)", self.path)
            if match and int(match[1]) in self.records:
                self._answer(200, self._record_meta(int(match[1])))
            else:
                self._answer(404, {"description": "not found"})

    def do_PATCH(self) -> None:
        body = self._body()
        with self.lock:
            self.log.append(("PATCH", self.path, body))
            match = re.fullmatch(rf"{API}/records/(\d+)", self.path)
            assert match is not None
            self.records[int(match[1])].update(body)
            self._answer(200, self._record_meta(int(match[1])))

    def do_PUT(self) -> None:
        self._body()
        with self.lock:
            self.log.append(("PUT", self.path, None))
            self._answer(201, {})


@pytest.fixture
def kadi() -> Iterator[tuple[str, type[FakeKadi]]]:
    handler = type("Instance", (FakeKadi,), {"log": [], "records": {}, "identifiers": set()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def import_into(host: str, archive: Path) -> None:
    from kadi_apy.lib.core import KadiManager
    from kadi_apy.lib.imports import import_eln

    with KadiManager(host=host, pat="token", verify=False, timeout=30, whitelist=[]) as manager:
        import_eln(manager, str(archive))


def leaves(extras: list[dict[str, Any]], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for extra in extras:
        key = f"{path}.{extra['key']}" if path else extra["key"]
        if extra["type"] in ("dict", "list"):
            yield from leaves(extra["value"], key)
        else:
            yield key, extra


def test_the_library_arrives_with_steps_as_text_and_typed_extras(
        tmp_path: Path, kadi: tuple[str, type[FakeKadi]]) -> None:
    host, fake = kadi
    archive = tmp_path / "protocols.eln"
    assert main(["export", *map(str, PROTOCOLS), "-o", str(archive)]) == 0
    import_into(host, archive)

    created = [body for method, path, body in fake.log if (method, path) == (
        "POST", f"{API}/records")]
    # One record per protocol file, each created at the first try: no identifier was taken.
    assert len(created) == len(fake.records) == len(PROTOCOLS) == 9
    for body in created:
        protocol_id = body["title"].split(" — ")[0]
        assert (REPO / "protocols" / f"{protocol_id}.yaml").is_file()
        assert body["identifier"].startswith(protocol_id)

    records = {r["title"].split(" — ")[0]: r for r in fake.records.values()}
    for record in records.values():
        for key, extra in leaves(record["extras"]):
            # Typed numbers only: no JSON text smuggled in as a string extra.
            assert extra["type"] in ("float", "int"), key
            assert not isinstance(extra["value"], str), key
        assert "elabftw_metadata" not in {e["key"] for e in record["extras"]}

    # mn-cdse13-bda-msc: its 13 steps arrive as text, each with a tick box, in order.
    record = records["mn-cdse13-bda-msc"]
    shown = visible_text(kadi_shown({"description": record["description"]}))
    steps = [line for line in tick_box_lines(shown) if re.match(r"☐ \d+\. ", line)]
    assert [line.split(". ", 1)[0] for line in steps] == [f"☐ {n}" for n in range(1, 14)]
    # Step 1 as the protocol gives it: 1.5 mmol CdCl2, 183.31 g/mol / 0.99999 = 275.0 mg.
    assert steps[0].startswith("☐ 1. Add CdCl2 (cadmium chloride, 1.500 mmol = 275.0 mg)")
    assert any(line.startswith("☐ 12. Centrifuge") for line in steps)
    assert record["files"] == ["mn-cdse13-bda-msc.yaml", "mn-cdse13-bda-msc.md",
                               "mn-cdse13-bda-msc.html"]
    cdcl2 = dict(leaves(record["extras"]))["CdCl2.amount"]
    assert (cdcl2["value"], cdcl2["unit"], cdcl2["type"]) == (1.5, "mmol", "float")


def test_a_repeated_title_would_be_numbered_by_kadi(
        tmp_path: Path, kadi: tuple[str, type[FakeKadi]]) -> None:
    """The fake does what Kadi4Mat does with a taken identifier, so the test above can fail."""
    host, fake = kadi
    protocol = REPO / "protocols" / "mn-cdse13-bda-msc.yaml"
    for name in ("a", "b"):
        archive = tmp_path / f"{name}.eln"
        assert main(["export", str(protocol), "-o", str(archive)]) == 0
        import_into(host, archive)
    identifiers = [body["identifier"] for method, path, body in fake.log
                   if (method, path) == ("POST", f"{API}/records")]
    first = "mn-cdse13-bda-msc-mncdsebda-magic-sized-clusters"
    assert identifiers == [first, first, f"{first}-1"]
