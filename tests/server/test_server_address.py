"""Server addresses: what libpq gets, what a person sees (never a password)."""

from __future__ import annotations

import pytest

from workbench.core.errors import BadInput
from workbench.store.server import ServerUnreachable, is_server_address, parse_address


def test_the_project_is_taken_out_and_the_rest_goes_to_libpq():
    address = parse_address(
        "postgresql://ana:s%40cret@db.example:5433/team?project=belarus&sslmode=require"
    )
    assert address.project == "belarus" and address.schema == "achwb_belarus"
    assert address.conninfo == "postgresql://ana:s%40cret@db.example:5433/team?sslmode=require"
    assert (
        address.shown == "postgresql://ana:***@db.example:5433/team?sslmode=require&project=belarus"
    )
    assert "s%40cret" not in repr(address) and "cret" not in str(address)


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://ana:hunter2@host/db?project=p",
        "postgres://ana:hunter2@host/db?project=p",
        "postgresql://ana@host/db?password=hunter2&project=p",
        "postgresql:///db?host=/run/postgresql&password=hunter2&project=p",
    ],
)
def test_passwords_never_show(text):
    address = parse_address(text)
    assert "hunter2" not in address.shown
    assert "hunter2" in address.conninfo
    error = ServerUnreachable(address, "FATAL: password hunter2\nwas refused")
    assert "hunter2" not in str(error) and "\n" not in str(error)


def test_a_socket_address_keeps_its_empty_host():
    address = parse_address("postgresql:///team?host=/tmp/s&project=p")
    assert address.conninfo == "postgresql:///team?host=/tmp/s"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("postgresql://a:pw@h/db", "names no project"),
        ("postgresql://a:pw@h/db?project=a&project=b", "more than one project"),
        ("postgresql://a:pw@h/db?project=no%20spaces", "must be 1 to 48 letters"),
        ("postgresql://a:pw@h/db?project=", "must be 1 to 48 letters"),
    ],
)
def test_bad_addresses_are_refused_without_the_password(text, message):
    with pytest.raises(BadInput, match=message) as caught:
        parse_address(text)
    assert ":pw@" not in str(caught.value)


def test_only_postgresql_urls_are_server_addresses():
    assert is_server_address("postgresql://h/db?project=p")
    assert is_server_address("POSTGRES://h/db?project=p")
    assert not is_server_address("belarus.achwb")
    assert not is_server_address("C:/postgresql/x.achwb")
