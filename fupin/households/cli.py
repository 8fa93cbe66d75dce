"""`fupin households`: the registry's commands and the household file's, in one group."""

import argparse

from fupin.households.files.cli import register_file_commands
from fupin.households.registry.cli import register_registry_commands


def register(groups: argparse._SubParsersAction) -> None:
    households = groups.add_parser("households", help="建档立卡农户：导入全国系统导出表、查看变动")
    commands = households.add_subparsers(dest="cmd", metavar="子命令", required=True)
    register_registry_commands(commands)
    register_file_commands(commands)
