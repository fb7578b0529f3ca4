"""One govshare.Engine shared by 8 Python threads answers like one thread.

A few hundred distinct requests over the sample registry (every route, permits,
denies and errors) are decided sequentially first; then a ThreadPoolExecutor with 8
workers decides 20,000 draws from that set and every answer is compared with the
sequential one. Mirrors core/tests/concurrency.rs.
"""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import govshare

THREADS = 8
DRAWS = 20_000
DISTINCT = 300
METHODS = ["system_integration", "front_processor", "online_query", "batch_download"]
TIMES = [
    "2019-10-10T10:00:00+08:00",
    "2020-06-01T09:30:00+08:00",
    "2021-12-31T23:59:59+08:00",
    "2018-03-15T08:00:00Z",
    "2023-01-01T00:00:00+08:00",  # outside the pack's validity: an error
]


def distinct_requests(sample: dict[str, Any]) -> list[dict[str, Any]]:
    rng = random.Random(20171206)
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    while len(out) < DISTINCT:
        dept = rng.choice(sample["departments"])
        res = rng.choice(sample["resources"])
        purpose = "sightseeing" if rng.random() < 0.125 or not dept["duties"] else rng.choice(dept["duties"])
        certs = dept.get("certificates") or [dept["certificate"]]
        cert = "BZ-FORGED" if rng.random() < 0.1 else certs[0]["serial"]
        network = res["network"]
        if rng.random() < 0.17:
            network = "extranet" if network == "intranet" else "intranet"
        req: dict[str, Any] = {
            "department": dept["id"],
            "resource": res["id"],
            "method": rng.choice(METHODS),
            "purpose": purpose,
            "network": network,
            "certificate": cert,
            "at": rng.choice(TIMES),
        }
        pick = rng.randrange(4)
        if pick == 1 and res.get("open_fields"):
            req["fields"] = list(res["open_fields"])
        elif pick > 0:
            req["fields"] = [f for f in res["fields"] if rng.random() < 0.5]
        key = repr(sorted(req.items()))
        if key not in seen:
            seen.add(key)
            out.append(req)
    return out


def answer(engine: govshare.Engine, req: dict[str, Any]) -> tuple[str, Any]:
    try:
        return ("decision", engine.decide(req).to_dict())
    except govshare.GovShareError as e:
        return ("error", (type(e).__name__, e.code, str(e)))


def test_eight_threads_answer_like_one(engine: govshare.Engine, sample: dict[str, Any]) -> None:
    reqs = distinct_requests(sample)
    expected = [answer(engine, r) for r in reqs]

    routes = Counter(
        (a[1]["decision"], a[1]["route"]) for a in expected if a[0] == "decision"
    )
    for route in [
        ("permit", "direct"),
        ("permit", "granted"),
        ("deny", "apply"),
        ("deny", "coordinate"),
        ("deny", "none"),
    ]:
        assert routes[route] > 0, f"no {route} in {routes}"
    assert any(a[0] == "error" for a in expected), "no error case"

    rng = random.Random(33)
    draws = [rng.randrange(len(reqs)) for _ in range(DRAWS)]

    def run(t: int) -> list[tuple[int, int]]:
        wrong = []
        for i in range(t, DRAWS, THREADS):
            k = draws[i]
            if answer(engine, reqs[k]) != expected[k]:
                wrong.append((i, k))
        return wrong

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(run, range(THREADS)))
    wrong = [w for r in results for w in r]
    assert not wrong, f"{len(wrong)} answers differ, first (draw, request): {wrong[:5]}"
    assert sum(len(range(t, DRAWS, THREADS)) for t in range(THREADS)) == DRAWS
