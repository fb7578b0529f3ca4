"""The tests run against the installed wheel, not the source tree."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import govshare
import govshare._govshare as native


def test_imported_from_site_packages() -> None:
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    here = Path(govshare.__file__).resolve()
    assert site in here.parents, f"{here} is not under {site}"
    assert "site-packages" in here.parts
    assert "bindings-python" not in here.parts


def test_native_module_is_abi3_and_typed() -> None:
    assert Path(native.__file__).name.endswith(".abi3.so") or native.__file__.endswith(".pyd")
    pkg = Path(govshare.__file__).parent
    assert (pkg / "py.typed").exists()
    assert (pkg / "_govshare.pyi").exists()


def test_public_names() -> None:
    assert set(govshare.__all__) <= set(dir(govshare))
    assert govshare.__version__ == native.__version__
