"""The database's own guards of the audit trail (migrations 0002 and 0004), and how to tell
that they are still in place: `fupin audit verify` reports a trigger that is missing,
switched off, or replaced by one that no longer refuses anything."""

from django.db import connection

# name → (table, what the trigger must say in its definition)
SQLITE_GUARDS = {
    "audit_event_no_update": ("audit_auditevent", "before update on audit_auditevent"),
    "audit_event_no_delete": ("audit_auditevent", "before delete on audit_auditevent"),
    "audit_event_no_replace": ("audit_auditevent", "before insert on audit_auditevent"),
    "audit_head_no_replace": ("audit_audithead", "before insert on audit_audithead"),
    "audit_head_no_rewind": ("audit_audithead", "before update on audit_audithead"),
    "audit_head_no_delete": ("audit_audithead", "before delete on audit_audithead"),
}
POSTGRES_GUARDS = {
    "audit_event_append_only": "audit_auditevent",
    "audit_event_no_truncate": "audit_auditevent",
    "audit_head_guard": "audit_audithead",
    "audit_head_no_truncate": "audit_audithead",
}


def guards_missing() -> list[str]:
    """Each guard that is not in force, in Chinese; empty when all are."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            present = {name: (table, " ".join(sql.lower().split())) for name, table, sql in cursor}
            problems = []
            for name, (table, clause) in SQLITE_GUARDS.items():
                found = present.get(name)
                if found is None:
                    problems.append(f"触发器 {name} 不存在")
                elif found[0] != table or clause not in found[1] or "raise(abort" not in found[1]:
                    problems.append(f"触发器 {name} 已被改写，不再拒绝")
            return problems
        if connection.vendor != "postgresql":
            return []
        cursor.execute(
            "SELECT t.tgname, c.relname, t.tgenabled, p.prosrc FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE c.relname IN ('audit_auditevent', 'audit_audithead') AND NOT t.tgisinternal"
        )
        triggers = {name: (table, enabled, source) for name, table, enabled, source in cursor}
        problems = []
        for name, table in POSTGRES_GUARDS.items():
            pg_found = triggers.get(name)
            if pg_found is None or pg_found[0] != table:
                problems.append(f"触发器 {name} 不存在")
            elif pg_found[1] == "D":
                problems.append(f"触发器 {name} 已被停用")
            elif pg_found[1] != "A":
                problems.append(f"触发器 {name} 未设为始终生效（可被复制模式绕过）")
            elif "raise exception" not in pg_found[2].lower():
                problems.append(f"触发器 {name} 已被改写，不再拒绝")
        return problems


def role_warnings() -> list[str]:
    """PostgreSQL: the application should connect as a role that neither owns the audit
    tables nor is a superuser (it could switch the triggers off)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, pg_has_role(current_user, c.relowner, 'USAGE')"
            " FROM pg_roles r, pg_class c"
            " WHERE r.rolname = current_user AND c.relname = 'audit_auditevent'"
        )
        row = cursor.fetchone()
    if row is None:
        return []
    superuser, owner = row
    if superuser:
        return [
            "提醒：应用以超级用户身份连接数据库，可停用触发器（见 README“审计密钥与数据库角色”）"
        ]
    if owner:
        return ["提醒：应用的数据库角色拥有审计表，可停用触发器（见 README“审计密钥与数据库角色”）"]
    return []


def app_role_grants(role: str) -> list[str]:
    """PostgreSQL: the privileges of the application's role, granted by the owner role that
    runs the migrations. The application may read and write the tables, append to the audit
    trail and move its head forward — nothing more on those two: no UPDATE, DELETE or
    TRUNCATE of audit rows, and, not owning them, it cannot switch their triggers off."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    quoted = DatabaseOperations(connection).quote_name(role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM {quoted}",
        f"REVOKE DELETE, TRUNCATE ON audit_audithead FROM {quoted}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public"
        f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
    ]


def app_role_problem(role: str) -> str:
    """Why `role` must not be the application's role, or "" when it may."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, pg_has_role(r.oid, c.relowner, 'USAGE')"
            " FROM pg_roles r, pg_class c WHERE r.rolname = %s AND c.relname = 'audit_auditevent'",
            [role],
        )
        row = cursor.fetchone()
    if row is None:
        return f"数据库角色 {role} 不存在（先以 CREATE ROLE {role} LOGIN 创建）"
    if row[0]:
        return f"数据库角色 {role} 是超级用户，可停用触发器，不能作为应用的角色"
    if row[1]:
        return f"数据库角色 {role} 拥有（或属于拥有）审计表的角色，不能作为应用的角色"
    return ""
