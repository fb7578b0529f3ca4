"""The README's Python examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO

# The package README and the project README show the same quick start; both run.
READMES = [REPO / "bindings-python" / "README.md", REPO / "README.md"]
BLOCKS = [
    (readme, code)
    for readme in READMES
    for code in re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
]


def test_each_readme_has_examples() -> None:
    assert {readme for readme, _ in BLOCKS} == set(READMES)


@pytest.mark.parametrize(
    ("readme", "code"), BLOCKS, ids=[f"{r.parent.name}-block{i}" for i, (r, _) in enumerate(BLOCKS)]
)
def test_readme_example_runs(readme: Path, code: str) -> None:
    exec(compile(code, str(readme), "exec"), {"__name__": "readme"})
