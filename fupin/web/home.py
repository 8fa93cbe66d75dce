from typing import Any


def home_panels(user: Any) -> list[dict[str, Any]]:
    return []
