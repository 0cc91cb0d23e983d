"""A real Label Studio round trip: export, create a project, correct a span through the API, export, import.

The server and label-studio-sdk live in their own venv (`make ls-venv`, at
`.venv-ls`), because label-studio pins packages the extractor's venv cannot
share; this test starts that server on 127.0.0.1 with a temporary data
directory and drives it with the SDK from that venv.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.annotate import labelstudio
from extractor.annotate.fields import read_output
from extractor.annotate.importer import MERGED_GOLD, MERGED_SPANS, import_documents
from extractor.engines.local import run

ROOT = Path(__file__).resolve().parents[2]
LS_VENV = Path(os.environ.get("LABEL_STUDIO_VENV", ROOT / ".venv-ls"))
SERVER = LS_VENV / "bin" / "label-studio"
STARTUP_SECONDS = 240
TOKEN = "integration-test-token-0123456789"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not SERVER.exists(), reason=f"no Label Studio server at {SERVER} (make ls-venv)"),
]

CLIENT = r"""
import json, sys
from label_studio_sdk import LabelStudio

url, token, config_path, tasks_path, out_path = sys.argv[1:]
ls = LabelStudio(base_url=url, api_key=token)
project = ls.projects.create(title="extractor integration", label_config=open(config_path).read())
tasks = json.load(open(tasks_path))
ls.projects.import_tasks(id=project.id, request=tasks, return_task_ids=True)
me = ls.users.whoami()
for task in ls.tasks.list(project=project.id):
    result = json.loads(json.dumps(task.predictions[0].result))
    age = next(r for r in result if r["from_name"] == "label" and r["value"]["labels"] == ["AGE"])
    for item in result:
        if item["id"] == age["id"] and item["from_name"] == "norm":
            item["value"]["text"] = ["72"]
    ls.annotations.create(id=task.id, result=result, was_cancelled=False, ground_truth=False)
exported = ls.projects.exports.as_json(project.id)
json.dump(exported, open(out_path, "w"))
print(json.dumps({"user": me.id, "tasks": len(exported)}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"label-studio exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(2)
    pytest.fail(f"label-studio did not answer within {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Label Studio server on 127.0.0.1 with a fresh data directory; stopped after the module."""
    data = tmp_path_factory.mktemp("label-studio")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "HOST"}
    env.update(
        LABEL_STUDIO_BASE_DATA_DIR=str(data),
        LATEST_VERSION_CHECK="false",
        COLLECT_ANALYTICS="false",
        LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",
    )
    log = data / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                str(SERVER),
                "start",
                "--no-browser",
                "--internal-host",
                "127.0.0.1",
                "--port",
                str(port),
                "--data-dir",
                str(data),
                "--username",
                "annotator@example.org",
                "--password",
                "integration-test",
                "--user-token",
                TOKEN,
                "--enable-legacy-api-token",
                "--log-level",
                "WARNING",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_correction_made_in_label_studio_arrives_in_the_gold(server: str, tmp_path: Path) -> None:
    corpus = (ROOT / "corpus" / "batch-1.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "in.jsonl").write_text(corpus[0] + "\n", encoding="utf-8")
    run([tmp_path / "in.jsonl"], tmp_path / "out", progress=False)
    documents = read_output(tmp_path / "out")
    assert any(m.label == "AGE" and m.norm != 72.0 for m in documents[0].mentions)
    labelstudio.write_export(documents, tmp_path / "ls")

    python = LS_VENV / "bin" / "python"
    done = subprocess.run(
        [
            str(python),
            "-c",
            CLIENT,
            server,
            TOKEN,
            str(tmp_path / "ls" / labelstudio.CONFIG_FILE),
            str(tmp_path / "ls" / labelstudio.TASKS_FILE),
            str(tmp_path / "export.json"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["tasks"] == 1

    found = labelstudio.read_tasks(tmp_path / "export.json", {str(answer["user"]): "annotator1"})
    assert [(d.annotator, d.document.doc_id) for d in found] == [("annotator1", documents[0].document.doc_id)]
    summary = import_documents(found, tmp_path / "annotations")
    assert summary.merged == [documents[0].document.doc_id]

    spans = [json.loads(line) for line in (tmp_path / "annotations" / MERGED_SPANS).read_text().splitlines()]
    predicted = [m.model_dump(mode="json") for m in documents[0].mentions]
    first_age = next(i for i, m in enumerate(predicted) if m["label"] == "AGE")
    assert spans[first_age]["norm"] == 72.0
    predicted[first_age]["norm"] = 72.0
    assert spans == predicted
    record = json.loads((tmp_path / "annotations" / MERGED_GOLD).read_text().splitlines()[0])
    assert record["cases"][0]["age_years"] == 72.0
