"""Login throttling: repeated failed logins lock the account for that address, and a guessing address altogether."""

from __future__ import annotations

import time

import pytest
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories

PASSWORD = "Rahasia-Uji-2026"
LOCKED_ID = "Terlalu banyak percobaan masuk yang gagal. Tunggu 1 menit lalu coba lagi"
LOCKED_EN = "Too many failed login attempts. Wait 1 minute and try again"

pytestmark = [
    pytest.mark.ckan_config("ckanext.solok.security.login_attempts", "3"),
    pytest.mark.ckan_config("ckanext.solok.security.login_attempts_per_ip", "6"),
    pytest.mark.ckan_config("ckanext.solok.security.login_window", "60"),
]


@pytest.fixture
def fresh_counts(clean_db):
    """No failure counted by an earlier test (the counts live in Redis, not in the database)."""
    redis = connect_to_redis()
    for key in redis.scan_iter("*:solok:login-failures:*"):
        redis.delete(key)


@pytest.fixture
def user(fresh_counts):
    return factories.User(password=PASSWORD, email="petugas@solokkota.go.id")


def attempt(app, login: str, password: str, address: str = "10.1.1.1", prefix: str = ""):
    return app.post(
        f"{prefix}/user/login",
        data={"login": login, "password": password},
        environ_base={"REMOTE_ADDR": address},
        follow_redirects=False,
    )


def logged_in(res) -> bool:
    return res.status_code == 302 and "/user/login" not in res.headers.get("Location", "")


def test_after_n_failures_even_the_right_password_is_refused(app, user):
    for _ in range(3):
        res = attempt(app, user["name"], "salah")
        assert res.status_code == 200 and "Gagal masuk" in res.get_data(as_text=True)
    res = attempt(app, user["name"], PASSWORD)
    assert res.status_code == 429
    assert LOCKED_ID in res.get_data(as_text=True)
    assert 0 < int(res.headers["Retry-After"]) <= 60
    # Not logged in: the dashboard still sends to the login page.
    assert "/user/login" in app.get("/dashboard/datasets", follow_redirects=False).headers["Location"]


def test_the_message_is_english_under_en(app, user):
    for _ in range(3):
        attempt(app, user["name"], "salah")
    res = attempt(app, user["name"], PASSWORD, prefix="/en")
    assert res.status_code == 429
    body = res.get_data(as_text=True)
    assert LOCKED_EN in body and "Terlalu banyak" not in body


def test_the_lock_ends_with_the_window(app, user):
    for _ in range(3):
        attempt(app, user["name"], "salah")
    assert attempt(app, user["name"], PASSWORD).status_code == 429
    # The window ends (its keys expire) instead of waiting a minute.
    redis = connect_to_redis()
    for key in redis.scan_iter("*:solok:login-failures:*"):
        redis.pexpire(key, 1)
    time.sleep(0.05)
    assert logged_in(attempt(app, user["name"], PASSWORD))


def test_the_e_mail_address_counts_for_the_same_account(app, user):
    for login in ("petugas@solokkota.go.id", user["name"], "PETUGAS@solokkota.go.id"):
        attempt(app, login, "salah")
    assert attempt(app, user["name"], PASSWORD).status_code == 429


def test_another_address_is_not_locked_out_by_a_stranger(app, user):
    for _ in range(5):
        attempt(app, user["name"], "salah", address="203.0.113.9")
    assert attempt(app, user["name"], PASSWORD, address="203.0.113.9").status_code == 429
    assert logged_in(attempt(app, user["name"], PASSWORD, address="10.1.1.2"))


def test_an_address_guessing_many_names_is_locked(app, user):
    for number in range(6):
        attempt(app, f"tebakan-{number}", "salah", address="198.51.100.7")
    assert attempt(app, user["name"], PASSWORD, address="198.51.100.7").status_code == 429
    assert logged_in(attempt(app, user["name"], PASSWORD, address="10.1.1.3"))


def test_a_successful_login_clears_the_accounts_failures(app, user):
    for _ in range(2):
        attempt(app, user["name"], "salah")
    assert logged_in(attempt(app, user["name"], PASSWORD))
    app.get("/user/_logout")
    for _ in range(2):
        attempt(app, user["name"], "salah")
    assert logged_in(attempt(app, user["name"], PASSWORD))


def test_unknown_names_are_answered_like_known_ones(app, fresh_counts):
    for _ in range(3):
        attempt(app, "tidak-ada", "salah")
    res = attempt(app, "tidak-ada", "salah")
    assert res.status_code == 429 and LOCKED_ID in res.get_data(as_text=True)
