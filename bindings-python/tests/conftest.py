"""Shared fixtures: the sample Binzhou registry and request builders."""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import govshare

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "policies" / "binzhou" / "sample" / "registry.json"
CST = timezone(timedelta(hours=8))


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture()
def sample() -> dict[str, Any]:
    """A fresh copy of the sample registry dict (tests may edit it)."""
    with SAMPLE.open(encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def engine() -> govshare.Engine:
    return govshare.Engine(SAMPLE)


def request(**overrides: Any) -> dict[str, Any]:
    """A SPEC §8 access request: city.civil-affairs asks for population.basic."""
    req: dict[str, Any] = {
        "department": "city.civil-affairs",
        "resource": "population.basic",
        "method": "online_query",
        "purpose": "social-assistance",
        "network": "extranet",
        "certificate": "BZ-0007",
        "at": "2019-03-01T10:00:00+08:00",
    }
    req.update(overrides)
    return {k: v for k, v in req.items() if v is not None}
