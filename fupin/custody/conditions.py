"""Storage conditions judged against thresholds: temperature, relative humidity and the
eight guards (八防) checked by the custodian. The defaults are those of 档案馆建筑设计规范
(JGJ 25-2010) for paper records: 14–24 ℃ and 45–60 % relative humidity."""

from dataclasses import dataclass
from decimal import Decimal

GUARDS: tuple[tuple[str, str], ...] = (
    ("fire", "防火"),
    ("theft", "防盗"),
    ("damp", "防潮"),
    ("light", "防光"),
    ("pests", "防虫"),
    ("rodents", "防鼠"),
    ("dust", "防尘"),
    ("heat", "防高温"),
)
GUARD_LABELS = dict(GUARDS)


@dataclass(frozen=True)
class Thresholds:
    temperature_min: Decimal
    temperature_max: Decimal
    humidity_min: Decimal
    humidity_max: Decimal
    # Where they come from: a region's name, or "默认".
    source: str = "默认（JGJ 25-2010）"


DEFAULT = Thresholds(Decimal(14), Decimal(24), Decimal(45), Decimal(60))


def judge(
    limits: Thresholds, temperature: Decimal, humidity: Decimal, failed: list[str]
) -> list[str]:
    """What is out of order, in words a custodian acts on; empty when all is well."""
    alerts = []
    if temperature < limits.temperature_min:
        alerts.append(f"温度 {temperature}℃ 低于下限 {limits.temperature_min}℃")
    if temperature > limits.temperature_max:
        alerts.append(f"温度 {temperature}℃ 高于上限 {limits.temperature_max}℃")
    if humidity < limits.humidity_min:
        alerts.append(f"相对湿度 {humidity}% 低于下限 {limits.humidity_min}%")
    if humidity > limits.humidity_max:
        alerts.append(f"相对湿度 {humidity}% 高于上限 {limits.humidity_max}%")
    alerts += [f"{GUARD_LABELS[key]}检查不合格" for key in failed]
    return alerts
