"""The published models in ../shared/models (tests that use them skip when it is absent)."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest

import logicnet

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LOGICNET_SHARED", ROOT.parent / "shared"))
MODELS = SHARED / "models"


def shared_models(suffix: str = ".bnet") -> list[Path]:
    """Model files of ../shared/models, or [] when that folder is absent."""
    if not MODELS.is_dir():
        return []
    return sorted(MODELS.glob(f"*{suffix}"))


def model_params(suffix: str = ".bnet"):
    """pytest parameters over the shared models; one skipped parameter when absent."""
    files = shared_models(suffix)
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason="../shared/models is not present"))]
    return [pytest.param(p, id=p.stem) for p in files]


def model_info() -> dict[str, dict]:
    path = MODELS / "models.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text())
    rows = data if isinstance(data, list) else data.get("models", [])
    return {row["model"]: row for row in rows}


def quiet_read(path, **kw):
    """Read a network without the free-input warning (the corpus writes inputs implicitly)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", logicnet.errors.LogicnetWarning)
        return logicnet.read_network(path, **kw)
