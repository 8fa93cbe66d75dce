"""`glob`: a whole-value pattern match that the database evaluates itself.

Django's `regex` lookup on SQLite calls back into Python for every row it checks. In a CHECK
constraint that is once per inserted row, under the GIL, while the import's other threads
want it: a province's registration sheet pays it a million times. GLOB is SQLite's own; on
PostgreSQL the pattern is translated to the equivalent anchored regular expression.

Pattern syntax: `[...]` (a character class), `?` (any one character), `*` (any run);
everything else matches itself, case-sensitively.
"""

import re
from typing import Any

from django.db.models import Lookup


def glob_regex(pattern: str) -> str:
    """The anchored POSIX regular expression matching what the GLOB pattern matches."""
    parts = []
    for token in re.findall(r"\[[^\]]+\]|\?|\*|.", pattern):
        if token.startswith("["):
            parts.append(token)
        elif token == "?":
            parts.append(".")
        elif token == "*":
            parts.append(".*")
        else:
            parts.append(re.escape(token))
    return "^" + "".join(parts) + "$"


class Glob(Lookup):
    """Used as an expression: Glob(F("field"), pattern)."""

    lookup_name = "glob"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "sqlite":
            return f"{lhs} GLOB {rhs}", (*lhs_params, *rhs_params)
        return f"{lhs} ~ {rhs}", (*lhs_params, *(glob_regex(str(p)) for p in rhs_params))
