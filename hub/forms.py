"""Admin form of story pages: channel-variant limits apply when a story is submitted, not to drafts."""

from wagtail.admin.forms import WagtailAdminPageForm


class StoryPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        # Saving a draft (or previewing) defers validation; submit, approve and publish do not.
        self.instance._defer_variant_limits = self.is_deferred_validation
        return cleaned_data
