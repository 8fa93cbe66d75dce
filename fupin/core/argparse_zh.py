"""argparse's own words (usage, headings, errors) in Chinese for the `fupin` command.

argparse looks its messages up through the module-level `_` and `ngettext` at call time and
ships no Chinese catalogue, so the command installs this table in their place once."""

import argparse
from collections.abc import Callable

WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选项 %(value)r（可选：%(choices)s）"
    ),
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "至多只能有一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须有其一",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 有歧义，可能是：%(matches)s"
    ),
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "未知的命令 %(parser_name)r（可选：%(choices)s）"
    ),
}
PLURAL_WORDS = {"expected %s argument": "需要 %s 个值"}


def _translate(message: str) -> str:
    return WORDS.get(message, message)


def _translate_plural(singular: str, plural: str, n: int) -> str:
    return PLURAL_WORDS.get(singular, singular if n == 1 else plural)


def install() -> None:
    module: object = argparse
    translate: Callable[[str], str] = _translate
    setattr(module, "_", translate)  # noqa: B010 — argparse reads these names at call time
    setattr(module, "ngettext", _translate_plural)  # noqa: B010


def name_subcommands(parser: argparse.ArgumentParser) -> None:
    """Give every sub-command slot a shown name, so a missing one is reported by its choices
    ("缺少必需的参数：{import,todo}") rather than by the internal attribute name ("cmd")."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            if action.metavar is None:
                action.metavar = "{" + ",".join(action.choices) + "}"
            for sub in action.choices.values():
                name_subcommands(sub)
