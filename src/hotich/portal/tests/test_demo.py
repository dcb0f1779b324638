from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from hotich.portal.demo import demo_portal
from hotich.portal.metrics import unit_metrics
from hotich.portal.models import Dossier


@pytest.mark.django_db
def test_demo_builds_dossiers_in_every_state(units: Any) -> None:
    today = dt.date(2026, 6, 30)
    assert (
        demo_portal(units=[units["a"], units["b"]], rng=random.Random(1), count=60, today=today)
        == 60
    )
    assert Dossier.objects.values("status").distinct().count() >= 5
    assert all(d.events.exists() for d in Dossier.objects.all()[:10])
    metrics = {
        m.key: m for m in unit_metrics(unit=units["province"], start=dt.date(2026, 1, 1), end=today)
    }
    assert metrics["online_rate"].value is not None
