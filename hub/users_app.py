"""wagtail.users, whose group listing shows the hub's groups by their translated names."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersConfig(WagtailUsersAppConfig):
    group_viewset = "hub.groups.GroupViewSet"
