"""What the offline commands (verify, log audit, log mirror, witness serve) share: a parser that
raises instead of exiting, so each command prints its own usage line and exits with its own code."""

import argparse
from typing import NoReturn

USAGE_EXIT = 64  # EX_USAGE of sysexits.h


class UsageError(Exception):
    """The command line asked for something the command does not take."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)
