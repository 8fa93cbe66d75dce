"""Retention codes (Y, D30, D10) shown as people say them (永久, 30年, 10年) in templates."""

from django import template

from fupin.schedule import retention

register = template.Library()


@register.filter
def retention_label(code: str) -> str:
    return retention.label(code) if code else ""
