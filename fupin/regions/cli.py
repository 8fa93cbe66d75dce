import argparse


def register(groups: argparse._SubParsersAction) -> None:
    pass
