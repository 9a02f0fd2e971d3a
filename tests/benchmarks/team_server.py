"""The team-server figure: N analyst processes each making M rating edits on one project at once.

A throwaway PostgreSQL cluster (``tests/server/cluster.py``) holds one
project with a layer per analyst; each analyst is a separate process and a
separate database role, rating random cells of their own layer through
``ServerProject.apply`` (one committed transaction per edit, NOTIFY
included), all starting at the same moment. Afterwards the project is read
back and checked: every edit is in the change log exactly once, each layer
is what its analyst last set, and the consensus equals the one computed
from those final layers. The baseline is the same edits made by one
analyst alone on the same server.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))

from cluster import DATABASE, discard, find_bindir, start_cluster  # noqa: E402
from figures import Figure  # noqa: E402

from workbench.core.consensus import consensus_codes, project_consensus  # noqa: E402
from workbench.core.edits import SetRating  # noqa: E402
from workbench.core.model import Analyst, Evidence, Hypothesis, Project  # noqa: E402
from workbench.core.ratings import Rating  # noqa: E402

MATRIX = (200, 20)  # evidence x hypotheses


def _project(analysts: int) -> Project:
    project = Project(title="Team benchmark")
    for k in range(MATRIX[1]):
        project.insert_hypothesis(k, Hypothesis(project.new_id(), f"H{k + 1}", f"Hypothesis {k}"))
    for r in range(MATRIX[0]):
        project.insert_evidence(r, Evidence(project.new_id(), f"E{r + 1}", f"Item {r}"))
    for k in range(analysts):
        project.add_analyst(Analyst(project.new_id(), f"A{k + 1}"))
    return project


def _analyst(url: str, edits: int, seed: int, ready, start, results) -> None:  # noqa: ANN001
    """One analyst's process: open, wait for the start, rate, report latencies and final cells."""
    from workbench.store.server import ServerProject

    rng = np.random.default_rng(seed)
    with ServerProject.open(url) as server:
        project = server.project
        mine = server.my_analyst_id
        assert mine is not None
        evidence = [e.id for e in project.evidence]
        hypotheses = [h.id for h in project.hypotheses]
        plan = [
            (
                evidence[int(rng.integers(len(evidence)))],
                hypotheses[int(rng.integers(len(hypotheses)))],
                Rating(int(rng.integers(1, 7))),
            )
            for _ in range(edits)
        ]
        ready.put(mine)
        start.wait()
        latencies, final = [], {}
        cpu = time.process_time()
        for e, h, rating in plan:
            began = time.perf_counter()
            server.apply(SetRating(mine, e, h, rating), mine)
            latencies.append(time.perf_counter() - began)
            final[(e, h)] = int(rating)
        cpu = time.process_time() - cpu
    results.put((mine, latencies, final, cpu))


def _run(
    cluster, roles: list[str], name: str, edits: int
) -> tuple[list[float], float, dict, float]:  # noqa: ANN001, E501
    """(latencies, wall time, each analyst's final cells, the analysts' CPU seconds editing)."""
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    ready, results = context.Queue(), context.Queue()
    workers = [
        context.Process(
            target=_analyst,
            args=(cluster.url(role, f"pw-{role}", name), edits, 1000 + k, ready, start, results),
        )
        for k, role in enumerate(roles)
    ]
    for worker in workers:
        worker.start()
    _collect(ready, workers)  # every process has opened the project and planned its edits
    began = time.perf_counter()
    start.set()
    collected = _collect(results, workers)
    wall = time.perf_counter() - began
    for worker in workers:
        worker.join(timeout=60)
        if worker.exitcode != 0:
            raise RuntimeError(f"an analyst process failed (exit {worker.exitcode})")
    latencies = [t for _, times, _, _ in collected for t in times]
    finals = {analyst: final for analyst, _, final, _ in collected}
    return latencies, wall, finals, sum(cpu for *_, cpu in collected)


def _collect(answers, workers: list) -> list:  # noqa: ANN001
    """One answer per worker, failing at once (not after a timeout) when one of them died."""
    found: list = []
    deadline = time.monotonic() + 900
    while len(found) < len(workers):
        try:
            found.append(answers.get(timeout=1.0))
        except queue.Empty:
            if any(worker.exitcode not in (None, 0) for worker in workers):
                raise RuntimeError("an analyst process failed") from None
            if time.monotonic() > deadline:
                raise TimeoutError("the analyst processes did not finish") from None
    return found


def _check(cluster, name: str, finals: dict, edits: int) -> None:  # noqa: ANN001
    """Every edit once in the log, each layer as its analyst left it, the consensus from them."""
    from workbench.store.server import ServerProject

    with ServerProject.open(cluster.url("facilitator", "pw-facilitator", name)) as server:
        project = server.project
        log = server.change_log(limit=10**7)
    counts: dict[str, int] = {}
    for record in log:
        if record.kind == "SetRating":
            counts[record.analyst] = counts.get(record.analyst, 0) + 1
    names = {a.id: a.name for a in project.analysts}
    for analyst, final in finals.items():
        if counts.get(names[analyst]) != edits:
            raise AssertionError(f"{names[analyst]}: {counts.get(names[analyst])} edits logged")
        if not np.array_equal(project.layers[analyst], _grid(final, project)):
            raise AssertionError(f"{names[analyst]}'s layer differs from their last edits")
    shape = (len(project.evidence), len(project.hypotheses))
    from_finals = consensus_codes([_grid(finals[a.id], project) for a in project.analysts], shape)
    if not np.array_equal(project_consensus(project), from_finals):
        raise AssertionError("the consensus differs from the one of the final layers")


def _server_cpu(cluster) -> float:  # noqa: ANN001
    """CPU seconds used so far by the cluster: the postmaster, its live children and those
    it has reaped (each analyst's server process ends when the analyst disconnects)."""
    try:
        postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
        stat = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
        ticks = sum(int(x) for x in stat[11:15])  # utime, stime, cutime, cstime
        for child in children:
            with contextlib.suppress(OSError):  # it may end between the two reads
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return float("nan")  # not Linux: the note then says nan
    return ticks / os.sysconf("SC_CLK_TCK")


def _grid(final: dict, project: Project) -> np.ndarray:
    grid = np.zeros((len(project.evidence), len(project.hypotheses)), dtype=np.int8)
    row = {e.id: i for i, e in enumerate(project.evidence)}
    col = {h.id: i for i, h in enumerate(project.hypotheses)}
    for (e, h), code in final.items():
        grid[row[e], col[h]] = code
    return grid


def concurrent_edits(analysts: int, edits: int) -> Figure | None:
    """The figure, or None when PostgreSQL is not installed here."""
    from workbench.store.server import ServerProject

    bindir = find_bindir()
    if bindir is None:
        return None
    cluster = start_cluster(bindir, durable=True)
    try:
        roles = ["facilitator"] + [f"analyst{k + 1}" for k in range(analysts)]
        with cluster.admin() as admin:
            for role in roles:
                admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}'")
                admin.execute(f"GRANT CONNECT ON DATABASE {DATABASE} TO {role}")
            admin.execute(f"GRANT CREATE ON DATABASE {DATABASE} TO facilitator")
        facilitator = cluster.url("facilitator", "pw-facilitator", "team")
        alone = cluster.url("facilitator", "pw-facilitator", "alone")
        with ServerProject.create(facilitator, _project(analysts)) as server:
            for k, role in enumerate(roles[1:]):
                server.grant(f"A{k + 1}", role)
        with ServerProject.create(alone, _project(1)) as server:
            server.grant("A1", roles[1])
        baseline, *_ = _run(cluster, roles[1:2], "alone", edits)
        server_cpu = _server_cpu(cluster)
        latencies, wall, finals, client_cpu = _run(cluster, roles[1:], "team", edits)
        server_cpu = _server_cpu(cluster) - server_cpu
        _check(cluster, "team", finals, edits)
    finally:
        discard(cluster)
    p95 = float(np.percentile(latencies, 95))
    base95 = float(np.percentile(baseline, 95))
    rate = len(latencies) / wall
    return Figure(
        f"team server: {analysts} analysts x {edits} rating edits at once, p95 edit latency",
        p95,
        "s",
        base95,
        p95 / base95,
        0.020,
        "value",
        f"{rate:.0f} edits/s over {wall:.1f} s,"
        f" median {statistics.median(latencies) * 1000:.1f} ms;"
        f" CPU per edit: {client_cpu / len(latencies) * 1000:.2f} ms in the analysts' processes,"
        f" {server_cpu / len(latencies) * 1000:.2f} ms in PostgreSQL's;"
        f" baseline: p95 of one analyst alone; every edit logged once, layers and consensus"
        " checked; PostgreSQL 15 on a Unix socket, fsync and synchronous_commit on",
    )
