"""`{% json_ld value %}`: a JSON-LD block the Content-Security-Policy allows by its hash."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from hub.security.csp import remember_script

register = template.Library()


@register.simple_tag(takes_context=True)
def json_ld(context, value: str):
    """`value` is JSON text already safe for a script element (its `<` escaped)."""
    remember_script(context.get("request"), str(value))
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(value))
