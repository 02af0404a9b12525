from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hub.languages import ADMIN_LANGUAGES
from hub.models import Region


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    region = forms.ModelChoiceField(
        label=_("Your district or commune"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("The whole province"),
        help_text=_("You get the stories for the whole province and for this area."),
    )
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=ADMIN_LANGUAGES)
    # Left empty by people; bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.all()
        self.fields["language"].initial = settings.LANGUAGE_CODE
