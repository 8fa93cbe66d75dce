"""Roles and what they allow. The three separated administrators never share an account."""

from django.db import models


class Role(models.TextChoices):
    VILLAGE_ARCHIVIST = "village_archivist", "村档案员"
    TOWNSHIP_ARCHIVIST = "township_archivist", "乡镇档案员"
    UNIT_ARCHIVIST = "unit_archivist", "单位档案员"
    POVERTY_OFFICE = "poverty_office", "扶贫办工作人员"
    BUREAU_INSPECTOR = "bureau_inspector", "档案局监督检查员"
    ARCHIVES_RECEIVER = "archives_receiver", "综合档案馆接收员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全保密管理员"
    AUDITOR = "auditor", "安全审计员"


class Clearance(models.TextChoices):
    """How far up the secrecy scale (密级) an account may read; the values are the records'
    secrecy values. Without a clearance an account reads unclassified items only."""

    NONE = "", "无（仅非涉密）"
    INTERNAL = "internal", "内部"
    SECRET = "secret", "秘密"
    CONFIDENTIAL = "confidential", "机密"


SEPARATED_ADMINS = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


class Cap(models.TextChoices):
    DATA_READ = "data.read", "查阅本辖区档案数据"
    DATA_WRITE = "data.write", "录入与整理档案"
    PERSONAL_READ = "personal.read", "查看完整个人信息"
    SCHEDULE_REFINE = "schedule.refine", "细化归档范围"
    FILING_POVERTY = "filing.poverty", "扶贫办备案审查"
    FILING_ARCHIVE = "filing.archive", "档案局备案审查"
    INSPECT = "inspect", "监督检查"
    EXIT_ACCEPT = "exit.accept", "脱贫档案验收"
    RECEIVE = "receive", "接收进馆"
    USERS_MANAGE = "users.manage", "管理用户、单位与区划"
    ROLES_GRANT = "roles.grant", "授予与撤销角色"
    AUDIT_READ = "audit.read", "查阅与导出审计日志"
    # The custodians of a fonds: they read its classified items and decide who else may.
    CLASSIFIED_READ = "classified.read", "查阅本辖区涉密档案"
    USE_APPROVE = "use.approve", "审批档案利用申请与办理借阅"
    CAMPAIGN_END = "campaign.end", "设定精准扶贫工作结束日期与移交期限"


CUSTODY = frozenset({Cap.CLASSIFIED_READ, Cap.USE_APPROVE})

ROLE_CAPS: dict[str, frozenset[str]] = {
    Role.VILLAGE_ARCHIVIST: frozenset({Cap.DATA_READ, Cap.DATA_WRITE}) | CUSTODY,
    Role.TOWNSHIP_ARCHIVIST: frozenset({Cap.DATA_READ, Cap.DATA_WRITE, Cap.EXIT_ACCEPT}) | CUSTODY,
    Role.UNIT_ARCHIVIST: frozenset({Cap.DATA_READ, Cap.DATA_WRITE, Cap.SCHEDULE_REFINE}) | CUSTODY,
    Role.POVERTY_OFFICE: frozenset(
        {
            Cap.DATA_READ,
            Cap.PERSONAL_READ,
            Cap.SCHEDULE_REFINE,
            Cap.FILING_POVERTY,
            Cap.EXIT_ACCEPT,
            Cap.CAMPAIGN_END,
        }
    ),
    Role.BUREAU_INSPECTOR: frozenset(
        {Cap.DATA_READ, Cap.SCHEDULE_REFINE, Cap.FILING_ARCHIVE, Cap.INSPECT}
    ),
    Role.ARCHIVES_RECEIVER: frozenset({Cap.DATA_READ, Cap.RECEIVE}) | CUSTODY,
    Role.SYSADMIN: frozenset({Cap.USERS_MANAGE}),
    Role.SECADMIN: frozenset({Cap.ROLES_GRANT}),
    Role.AUDITOR: frozenset({Cap.AUDIT_READ}),
}

# The region level a role's scope must sit at (None: any level; unit roles take a unit).
ROLE_LEVELS: dict[str, frozenset[str] | None] = {
    Role.VILLAGE_ARCHIVIST: frozenset({"village"}),
    Role.TOWNSHIP_ARCHIVIST: frozenset({"township"}),
    Role.UNIT_ARCHIVIST: None,
    Role.POVERTY_OFFICE: frozenset({"province", "city", "county", "township"}),
    Role.BUREAU_INSPECTOR: frozenset({"province", "city", "county"}),
    Role.ARCHIVES_RECEIVER: frozenset({"province", "city", "county"}),
    Role.SYSADMIN: frozenset({"province", "city", "county"}),
    Role.SECADMIN: frozenset({"province", "city", "county"}),
    Role.AUDITOR: frozenset({"province", "city", "county"}),
}
UNIT_ROLES = frozenset({Role.UNIT_ARCHIVIST})
