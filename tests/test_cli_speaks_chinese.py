"""The `fupin` command speaks Chinese: argparse's own headings and errors, and every help text."""

import argparse
import re

import pytest

from fupin.cli import build_parser, main

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = ("usage:", "positional arguments", "options:", "show this help", "error:", "required")


def parsers(parser: argparse.ArgumentParser, path: str = "fupin"):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, f"{path} {name}")


def test_every_help_page_is_chinese():
    untranslated = []
    for path, parser in parsers(build_parser()):
        text = parser.format_help()
        untranslated += [f"{path}: {word}" for word in ENGLISH if word in text]
        for action in parser._actions:
            if action.help not in (None, argparse.SUPPRESS) and not CJK.search(action.help):
                untranslated.append(f"{path} {'/'.join(action.option_strings)}: {action.help}")
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if not CJK.search(choice.help or ""):
                        untranslated.append(f"{path} {choice.dest}: 没有中文说明")
    assert not untranslated, "\n".join(untranslated)


def test_argument_errors_are_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["records"])
    err = capsys.readouterr().err
    assert "用法：fupin records" in err and "错误：缺少必需的参数" in err
    with pytest.raises(SystemExit):
        main(["households", "import", "--no-such-flag", "x.xlsx"])
    assert "无法识别的参数：--no-such-flag" in capsys.readouterr().err
