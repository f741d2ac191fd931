from __future__ import annotations

from tests.outputs.conftest import outputs as outputs  # the pair's outputs, one of each visibility
