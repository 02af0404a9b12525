"""django-axes' check in front of the model backend, for sign-ins that come with a request."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses locked-out accounts and addresses. `authenticate()` without a request (management
    commands, `Client.login()` in tests) has no client address to count, so it is left to the
    next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
