"""The public report form (no JavaScript needed) and the officials' form in the admin."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from wagtail.images.fields import WagtailImageField

from hub.intake.models import TipKind
from hub.intake.services import contact_normalize
from hub.models import Region, RegionLevel

PHONE_PATTERN = re.compile(r"\+?[0-9][0-9 .-]{7,16}[0-9]")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y"]


def clean_contact_value(value: str) -> str:
    """A phone number or an e-mail address, normalised; ValidationError otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(_("Enter a valid e-mail address or phone number.")) from None
        return contact_normalize(value)
    if not PHONE_PATTERN.fullmatch(value):
        raise ValidationError(_("Enter a valid e-mail address or phone number."))
    normalized = contact_normalize(value)
    if not 10 <= len(normalized) <= 13:
        raise ValidationError(_("Enter a valid e-mail address or phone number."))
    return normalized


def regions_for(organisation):
    """Province and districts of the organisation's region tree (all of them if it has none)."""
    regions = Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.DISTRICT])
    if organisation is not None and organisation.region_id:
        regions = regions.within(organisation.region)
    return regions.order_by("path")


class ReportFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you sending?"),
        choices=TipKind.choices,
        initial=TipKind.RUMOUR,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What did you see or hear? Or what is your question?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    link = forms.URLField(label=_("Link (if any)"), max_length=1000, required=False, assume_scheme="https")
    screenshot = WagtailImageField(
        label=_("Screenshot (if any)"),
        required=False,
        help_text=_("A picture: JPEG, PNG, GIF or WebP."),
    )
    seen_where = forms.CharField(
        label=_("Where did you see it?"),
        max_length=255,
        required=False,
        help_text=_("e.g. a Zalo group, a Facebook page, at the market."),
    )
    seen_on = forms.DateField(
        label=_("When did you see it?"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    region = forms.ModelChoiceField(
        label=_("Your district"), queryset=Region.objects.none(), required=False, empty_label=_("—")
    )
    contact = forms.CharField(
        label=_("Phone or e-mail for the reply (optional)"),
        max_length=254,
        required=False,
        help_text=_("Only used to tell you the answer; deleted after %(days)s days. Never published."),
    )

    def __init__(self, *args, organisation=None, retention_days: int = 90, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for(organisation)
        self.fields["contact"].help_text = self.fields["contact"].help_text % {"days": retention_days}

    def clean_contact(self):
        return clean_contact_value(self.cleaned_data.get("contact", ""))

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\x00", "").strip()
        if len(text) < 5:
            raise ValidationError(_("Please write a few words."))
        return text


class PublicReportForm(ReportFields):
    # A field people never see; robots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class StaffReportForm(ReportFields):
    """An official files a report (from a patrol, a meeting, a call) on behalf of the public."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args, organisations=None, **kwargs):
        first = organisations.first() if organisations is not None else None
        super().__init__(*args, organisation=first, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations[:2]) == 1:
            self.fields["organisation"].initial = first.pk
        self.fields["contact"].label = _("Reporter's phone or e-mail (optional)")
