import pytest


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.HOTICH_REQUIRE_OTP = False
