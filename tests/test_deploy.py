"""deploy/: the deployments and the example automation, registered on a real Prefect server and
run through a real process worker, then read back from the API (as deploy/README.md describes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import requests

from tests.support.prefect_server import prefect_env
from tests.support.server import LocalServer

ROOT = Path(__file__).resolve().parents[1]
PREFECT = str(Path(sys.executable).with_name("prefect"))
SEED = ROOT / "tests" / "fixtures" / "pages" / "moscowtimes" / "seed-briefing.html"


def prefect(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [PREFECT, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, f"prefect {args}:\n{done.stdout}\n{done.stderr}"
    return done


def test_deployments_run_through_a_worker_and_report_back(
    tmp_path: Path, prefect_api: str, server: LocalServer
) -> None:
    server.route("/a-1", SEED.read_bytes())
    config = tmp_path / "briefwatch.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "bw.db"}"\n'
        '[fetch]\nallow_private = ["127.0.0.1"]\n'
        f'[[sources]]\nname = "one"\nurl = "{server.url("/a-1")}"\nkind = "article"\n',
        encoding="utf-8",
    )
    env = {
        **prefect_env(tmp_path / "prefect", prefect_api),
        "BRIEFWATCH_HOME": str(ROOT),
        "BRIEFWATCH_CONFIG": str(config),
    }
    prefect("work-pool", "create", "briefwatch", "--type", "process", "--overwrite", env=env)
    prefect("--no-prompt", "deploy", "--all", "--prefect-file", "deploy/prefect.yaml", env=env)
    prefect("automation", "create", "--from-file", "deploy/automation.yaml", env=env)

    run = prefect("deployment", "run", "monitor/monitor", env=env)
    run_id = next(
        line.split()[-1] for line in run.stdout.splitlines() if "UUID" in line
    )  # "UUID: <id>"
    prefect("worker", "start", "--pool", "briefwatch", "--run-once", env=env)

    flow_run = requests.get(f"{prefect_api}/flow_runs/{run_id}", timeout=10).json()
    assert flow_run["state"]["type"] == "COMPLETED", flow_run["state"]
    assert flow_run["name"] == "monitor: 1 sources, 1 new stories, 8 changes"
    artifacts = requests.post(
        f"{prefect_api}/artifacts/filter",
        json={"artifacts": {"flow_run_id": {"any_": [run_id]}}},
        timeout=10,
    ).json()
    keys = {a["key"] for a in artifacts}
    assert {"briefwatch-pass", "briefwatch-facts"} <= keys
    facts = next(a for a in artifacts if a["key"] == "briefwatch-facts")
    assert "Control of Shusha" in str(facts["data"])
    deployments = requests.post(f"{prefect_api}/deployments/filter", json={}, timeout=10).json()
    assert {"monitor", "maintain", "digest"} <= {d["name"] for d in deployments}
    automations = requests.post(f"{prefect_api}/automations/filter", json={}, timeout=10).json()
    assert "briefwatch-recheck-on-control-change" in {a["name"] for a in automations}
