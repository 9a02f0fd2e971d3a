"""Who may change what in a project on a server, enforced by PostgreSQL itself.

Each project is a schema of its own, created by the role that pushed it:
that role owns the schema and every table in it, and so is the project's
*facilitator* (PostgreSQL lets a table's owner do anything to it; row-level
security does not apply to owners unless forced). A schema per project
keeps the policies short, because no policy has to say which project a row
belongs to: the grants on one schema admit a role to one project, and the
tables are exactly the project file's, built by the same migrations.

An analyst is a role listed in the schema's ``member`` table with the id of
their layer. Analysts get:

* ``USAGE`` on the schema and ``SELECT`` on every table (the whole matrix,
  everyone's layer, the log: a team works in the open);
* ``INSERT, UPDATE, DELETE`` on ``rating``, where row-level security lets a
  command see and write only rows whose ``analyst_id`` is the role's own
  layer (``USING`` for the rows it may touch, ``WITH CHECK`` for what they
  may become, so a row cannot be moved into another layer either);
* ``INSERT`` on ``change_log``, only for lines signed with their own
  analyst's name;
* ``EXECUTE`` on ``rate_cells``, the procedure a rating edit calls, which
  runs with the analyst's own rights (so the two grants above still judge
  it); nothing else.

So an analyst connected with psql who runs DELETE or UPDATE on every table
changes at most their own ratings: the structure (question, hypotheses,
evidence, weights, sources, milestones), the consensus overrides, the
settings, the member list and other layers are refused by the grants or
filtered out by the policies.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import Connection, text

from workbench.store.server.tables import RATE_CELLS_SIGNATURE, quoted


@dataclasses.dataclass(frozen=True)
class Member:
    role: str
    analyst_id: int


def create_member_table(connection: Connection, schema: str) -> None:
    connection.exec_driver_sql(
        f"CREATE TABLE {quoted(schema)}.member ("
        " role_name text PRIMARY KEY,"
        f" analyst_id integer NOT NULL UNIQUE REFERENCES {quoted(schema)}.analyst (id)"
        " ON DELETE CASCADE)"
    )


def secure(connection: Connection, schema: str) -> None:
    """Turn on the row-level security of a newly built project schema."""
    s = quoted(schema)
    own_layer = (
        f"analyst_id IN (SELECT m.analyst_id FROM {s}.member m WHERE m.role_name = current_user)"
    )
    own_name = (
        f"analyst IN (SELECT a.name FROM {s}.analyst a JOIN {s}.member m"
        " ON m.analyst_id = a.id WHERE m.role_name = current_user)"
    )
    connection.exec_driver_sql(f"REVOKE ALL ON SCHEMA {s} FROM PUBLIC")
    for statement in (
        f"ALTER TABLE {s}.rating ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY everyone_reads ON {s}.rating FOR SELECT USING (true)",
        f"CREATE POLICY own_layer ON {s}.rating FOR ALL USING ({own_layer})"
        f" WITH CHECK ({own_layer})",
        f"ALTER TABLE {s}.change_log ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY everyone_reads ON {s}.change_log FOR SELECT USING (true)",
        f"CREATE POLICY own_entries ON {s}.change_log FOR INSERT WITH CHECK ({own_name})",
    ):
        connection.exec_driver_sql(statement)


def grant_analyst(connection: Connection, schema: str, role: str) -> None:
    """The privileges of an analyst (see the module's docstring); safe to repeat."""
    s, r = quoted(schema), quoted(role)
    sequence = connection.execute(
        text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": f"{s}.change_log"}
    ).scalar()
    for statement in (
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT INSERT, UPDATE, DELETE ON {s}.rating TO {r}",
        f"GRANT INSERT ON {s}.change_log TO {r}",
        # The edit procedure runs with the caller's rights: this grants no more than the
        # two lines above (PUBLIC may execute it by default; a hardened server may not).
        f"GRANT EXECUTE ON PROCEDURE {s}.{RATE_CELLS_SIGNATURE} TO {r}",
    ):
        connection.exec_driver_sql(statement)
    if sequence:
        connection.exec_driver_sql(f"GRANT USAGE ON SEQUENCE {sequence} TO {r}")


def members(connection: Connection, schema: str) -> list[Member]:
    found = connection.exec_driver_sql(
        f"SELECT role_name, analyst_id FROM {quoted(schema)}.member ORDER BY role_name"
    )
    return [Member(role, analyst_id) for role, analyst_id in found]


def add_member(connection: Connection, schema: str, role: str, analyst_id: int) -> None:
    connection.execute(
        text(
            f"INSERT INTO {quoted(schema)}.member (role_name, analyst_id) VALUES (:role, :analyst)"
        ),
        {"role": role, "analyst": analyst_id},
    )
    grant_analyst(connection, schema, role)


def role_exists(connection: Connection, role: str) -> bool:
    found = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role})
    return found.first() is not None


def current_role(connection: Connection) -> str:
    return str(connection.exec_driver_sql("SELECT current_user").scalar())
