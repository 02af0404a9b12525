"""Content-Security-Policy per part of the site, with django-csp (Django 5.2 has none of its own).

- Portal: strict. Scripts and styles from this site only, no inline script; JSON-LD blocks are
  allowed by their SHA-256 hash (cache-safe, unlike a nonce in a cached page).
- Admin: what Wagtail 8's admin needs. Its date pickers and inline panels still write small
  inline scripts, and its widgets set style attributes, so scripts and styles allow 'unsafe-inline'
  (no nonce: a nonce would switch 'unsafe-inline' off); everything else stays on this site.
- API: nothing may load, nothing may frame it.
"""

import base64
import hashlib

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

HASH_HEADER = "X-Csp-Script-Hashes"  # carries a page's JSON-LD hashes through the portal cache


def policy_for(path: str, *, dummy: bool = False) -> dict:
    """The policy of a path; Wagtail's previews (a dummy request for the page's own path, shown
    inside the admin) get the admin's."""
    if dummy:
        return settings.CSP_ADMIN_POLICY
    if path.startswith(settings.CSP_API_PREFIXES):
        return settings.CSP_API_POLICY
    if path.startswith(settings.CSP_ADMIN_PREFIXES):
        return settings.CSP_ADMIN_POLICY
    return settings.CSP_PORTAL_POLICY


def script_hash(content: str) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def remember_script(request, content: str) -> None:
    """Allows this exact inline script (JSON-LD) on the response being rendered."""
    if request is not None:
        hashes = getattr(request, "csp_script_hashes", None)
        if hashes is None:
            hashes = request.csp_script_hashes = []
        hashes.append(script_hash(content))


class ScriptHashMiddleware:
    """Inside the portal cache: moves the hashes rendered into the page onto the response (cached with it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        hashes = getattr(request, "csp_script_hashes", None)
        if hashes:
            response[HASH_HEADER] = " ".join(dict.fromkeys(hashes))
        return response


class HubCSPMiddleware(CSPMiddleware):
    """django-csp's middleware choosing the policy by path and adding the page's script hashes."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None:
            parts.config = policy_for(request.path_info, dummy=getattr(request, "is_dummy", False))
        hashes = response.get(HASH_HEADER, "")
        if hashes:
            del response[HASH_HEADER]
            parts.update = {**(parts.update or {}), "script-src": hashes.split()}
        return parts
