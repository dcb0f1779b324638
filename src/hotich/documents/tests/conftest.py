from __future__ import annotations

from typing import Any

import pytest

from hotich.accounts.vocabulary import Role


@pytest.fixture
def people(units: dict[str, Any], make_user: Any) -> dict[str, Any]:
    return {
        "officer": make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương"),
        "signer": make_user(Role.SIGNER, units["a"], full_name="Nguyễn Văn Hùng"),
        "province": make_user(Role.PROVINCE, units["province"], full_name="Trần Thị Lan"),
        "officer_b": make_user(Role.OFFICER, units["b"], full_name="Lê Văn Nam"),
    }
