from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_world_pair_is_active_with_four_steps(world):
    assert world.pair.status == "active"
    assert world.pair.steps.count() == 4
