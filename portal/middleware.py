from csp.middleware import CSPMiddleware


class PortalCSPMiddleware(CSPMiddleware):
    """The public site gets a strict policy; the Wagtail admin still relies on inline styles and scripts."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith("/admin/"):
            parts.replace = {
                **(parts.replace or {}),
                "script-src": ["'self'", "'unsafe-inline'"],
                "style-src": ["'self'", "'unsafe-inline'"],
            }
        return parts
