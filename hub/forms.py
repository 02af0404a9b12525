"""Admin forms of story pages: channel-variant limits apply when a story is submitted, not to drafts;
a copy of a story is a draft unless a site administrator publishes it (see hub/workflows.py)."""

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm


class StoryPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        # Saving a draft (or previewing) defers validation; submit, approve and publish do not.
        self.instance._defer_variant_limits = self.is_deferred_validation
        return cleaned_data


class StoryCopyForm(CopyForm):
    """Wagtail's copy form without "publish the copy" and "alias" (a live alias) for non-administrators."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.user.is_superuser:
            self.fields.pop("publish_copies", None)
            self.fields.pop("alias", None)
