"""Copies of the public contract's example documents (../shared/docs/api), shown in the OpenAPI.

A test keeps them identical to the originals.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


@cache
def load(name: str) -> Any:
    return json.loads((HERE / name).read_text(encoding="utf-8"))
