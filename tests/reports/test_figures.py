"""Each figure against hand-computed fixtures: period edges at local midnight, retractions, late acks."""

import datetime

from django.contrib.contenttypes.models import ContentType
from wagtail.models import GroupApprovalTask, Page, TaskState, Workflow, WorkflowState

from channels.led.models import PlaylistItem, Screen
from channels.sms.models import FeedEntry, SmsAck
from hub.models import PhaseChange
from hub.tenancy import organisation_for_site
from publishing.models import Delivery, DeliveryAttempt
from publishing.reports import providers
from publishing.reports.figures import ReportContext
from tests.factories.sms import PartnerFactory, PublicationFactory
from tests.reports.conftest import PERIOD, at


def context(organisation, **kwargs) -> ReportContext:
    return ReportContext(organisation=organisation, period=PERIOD, now=at(2026, 11, 23, 7), **kwargs)


def rows(section: dict, key: str) -> list[list]:
    return next(table for table in section["tables"] if table["key"] == key)["rows"]


def publication(page, published_at, **kwargs):
    kwargs.setdefault("organisation", organisation_for_site(page.get_site()))
    kwargs.setdefault("valid_from", published_at)
    kwargs.setdefault("valid_until", published_at + datetime.timedelta(days=30))
    return PublicationFactory(page=page, published_at=published_at, **kwargs)


def test_period_edges_are_local_midnights():
    assert PERIOD.start.isoformat() == "2026-10-23T00:00:00+07:00"
    assert PERIOD.end.isoformat() == "2026-11-23T00:00:00+07:00"
    assert len(PERIOD.days) == 31


def test_stories_by_kind_region_and_day(organisation, story_page, other_page, regions):
    first = publication(story_page, at(2026, 10, 23), kind="vaccination", regions=[regions["a"]])
    publication(
        story_page, at(2026, 11, 22, 23, 59, 59), kind="situation", regions=[regions["a"], regions["b"]]
    )
    publication(story_page, at(2026, 11, 23), kind="situation")  # the next period
    publication(story_page, at(2026, 10, 22, 23, 59, 59), kind="vaccination", retracted_at=at(2026, 11, 1))
    publication(story_page, at(2026, 11, 5, 9), kind="vaccination", previous=first)  # an update
    publication(
        story_page, at(2026, 11, 10), kind="situation", regions=[regions["b"]], retracted_at=at(2026, 11, 12)
    )
    publication(other_page, at(2026, 11, 1), kind="situation")  # another organisation

    section = providers.stories(context(organisation))

    assert rows(section, "stories_by_kind") == [["situation", 2, 0, 1], ["vaccination", 1, 1, 1]]
    assert sorted(rows(section, "stories_by_region")) == sorted(
        [["Thành phố Điện Biên Phủ", 2], ["Huyện Mường Chà", 2], ["Whole area", 1]]
    )
    per_day = dict(rows(section, "stories_per_day"))
    assert per_day["23/10"] == 1  # local midnight belongs to the first day, not to 22/10 (UTC)
    assert per_day["22/11"] == 1
    assert per_day["05/11"] == 1 and per_day["10/11"] == 1
    assert sum(per_day.values()) == 4
    assert section["notes"][0][1] == {"first": 3, "updates": 1, "retracted": 2}


def test_stories_by_language_count_each_translation_in_its_own_language(organisation, story_page):
    first = publication(story_page, at(2026, 11, 1), kind="vaccination")
    publication(story_page, at(2026, 11, 2), kind="vaccination", language="hmn")
    publication(story_page, at(2026, 11, 3), kind="vaccination", language="hmn", retracted_at=at(2026, 11, 4))
    publication(story_page, at(2026, 11, 5), kind="vaccination", language="blt")
    publication(story_page, at(2026, 11, 6), kind="vaccination", previous=first)  # an update, in Vietnamese
    publication(story_page, at(2026, 11, 23), kind="vaccination", language="hmn")  # the next period

    section = providers.stories(context(organisation))

    assert rows(section, "stories_by_language") == [["blt", 1, 0, 0], ["hmn", 2, 0, 1], ["vi", 1, 1, 0]]


def test_languages_are_named_in_the_reader_s_language():
    from django.utils import translation

    from publishing.reports.present import label

    with translation.override("vi"):
        assert [label(code, "language") for code in ("vi", "blt", "hmn", "xx")] == [
            "Tiếng Việt",
            "Tiếng Thái (Thái Đen)",
            "Tiếng H'Mông",
            "xx",
        ]
    with translation.override("en"):
        assert label("hmn", "language") == "Hmong"


def test_stories_scoped_by_region_and_kind(organisation, story_page, regions):
    publication(story_page, at(2026, 11, 1), kind="vaccination", regions=[regions["a"]])
    publication(story_page, at(2026, 11, 2), kind="situation", regions=[regions["a"]])
    publication(story_page, at(2026, 11, 3), kind="vaccination", regions=[regions["b"]])

    section = providers.stories(context(organisation, region=regions["a"], kind="vaccination"))

    assert rows(section, "stories_by_kind") == [["vaccination", 1, 0, 0]]


def _workflow_state(page, workflow, created_at, status, steps):
    """steps: [(task, started, finished, status)]."""
    revision = page.save_revision()
    state = WorkflowState.objects.create(
        content_type=ContentType.objects.get_for_model(page.specific_class),
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        workflow=workflow,
        status=status,
    )
    WorkflowState.objects.filter(pk=state.pk).update(created_at=created_at)
    for task, started, finished, task_status in steps:
        task_state = TaskState.objects.create(
            workflow_state=state,
            revision=revision,
            task=task,
            status=task_status,
            finished_at=finished,
            content_type=ContentType.objects.get_for_model(TaskState),
        )
        TaskState.objects.filter(pk=task_state.pk).update(started_at=started)
    return state


def test_approval_times_median_and_p90_per_step(organisation, story_page):
    workflow = Workflow.objects.create(name="Quy trình thử")
    health = GroupApprovalTask.objects.create(name="Health review")
    approval = GroupApprovalTask.objects.create(name="Approval")
    ok, no = TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED
    h = datetime.timedelta(hours=1)

    def day(d):
        return at(2026, 11, d, 8)

    _workflow_state(
        story_page,
        workflow,
        day(1),
        "approved",
        [(health, day(1), day(1) + h, ok), (approval, day(1) + h, day(1) + 5 * h, ok)],
    )
    _workflow_state(
        story_page,
        workflow,
        day(2),
        "approved",
        [(health, day(2), day(2) + 2 * h, ok), (approval, day(2) + 2 * h, day(2) + 3 * h, ok)],
    )
    _workflow_state(
        story_page,
        workflow,
        day(3),
        "cancelled",
        [(health, day(3), day(3) + 3 * h, ok), (approval, day(3) + 3 * h, day(3) + 5 * h, no)],
    )
    _workflow_state(
        story_page,
        workflow,
        day(4),
        "approved",
        [(health, day(4), day(4) + 10 * h, ok), (approval, day(4) + 10 * h, day(4) + 16 * h, ok)],
    )
    old = at(2026, 10, 1, 8)  # decided before the period
    _workflow_state(
        story_page,
        workflow,
        old,
        "approved",
        [(health, old, old + 100 * h, ok), (approval, old + 100 * h, old + 101 * h, ok)],
    )

    section = providers.approvals(context(organisation))

    table = {row[0]: row[1:] for row in rows(section, "approval_times")}
    # Health review: 1, 2, 3, 10 h → nearest-rank median 2 h, 90th percentile 10 h.
    assert table["Health review"] == [4, 0, 2.0, 10.0]
    # Approval: 1, 4, 6 h approved, one rejected → median 4 h, 90th percentile 6 h.
    assert table["Approval"] == [3, 1, 4.0, 6.0]
    # Whole workflow: 3, 5, 16 h → median 5 h, 90th percentile 16 h.
    assert table["Submission to approval (whole workflow)"] == [3, None, 5.0, 16.0]


def _delivery(publication, channel, target, status, created_at, **kwargs):
    delivery = Delivery.objects.create(
        publication=publication, channel=channel, target=target, status=status, **kwargs
    )
    Delivery.objects.filter(pk=delivery.pk).update(created_at=created_at)
    return delivery


def test_deliveries_by_channel_status_and_cause_across_period_edges(organisation, story_page, other_page):
    story = publication(story_page, at(2026, 10, 20), kind="situation")
    _delivery(story, "facebook", "p1", "sent", at(2026, 10, 22, 23, 59, 59))  # before
    _delivery(
        story, "facebook", "p2", "sent", at(2026, 10, 23), sent_at=at(2026, 11, 23, 1)
    )  # sent after: counts
    failed = _delivery(
        story, "facebook", "p3", "failed", at(2026, 11, 2), last_error="HTTP 500 from Graph API"
    )
    _delivery(story, "facebook", "p4", "failed", at(2026, 11, 3), last_error="HTTP 500 from Graph API")
    _delivery(story, "x", "a1", "failed", at(2026, 11, 22, 23, 59, 59), last_error="Token expired")
    _delivery(story, "x", "a2", "failed", at(2026, 11, 23), last_error="Token expired")  # after
    _delivery(publication(other_page, at(2026, 11, 1)), "x", "a1", "failed", at(2026, 11, 1))  # not ours
    for minute in (1, 2):
        DeliveryAttempt.objects.create(
            delivery=failed, started_at=at(2026, 11, 2, 0, minute), outcome="error"
        )

    section = providers.deliveries(context(organisation))

    table = next(t for t in section["tables"] if t["key"] == "deliveries_by_channel")
    assert [c["label"] for c in table["columns"]] == ["Channel", "Sent", "Failed", "Total"]
    assert table["rows"] == [["facebook", 1, 2, 3], ["x", 0, 1, 1]]
    assert rows(section, "delivery_failures") == [
        ["facebook", "HTTP 500 from Graph API", 2],
        ["x", "Token expired", 1],
    ]
    assert rows(section, "delivery_attempts") == [["send", "error", 2]]


def _entry(seq, publication, created_at):
    return FeedEntry.objects.create(
        seq=seq,
        kind="message",
        publication=publication,
        region_paths="|",
        body="{}",
        visible_until=created_at + datetime.timedelta(days=2),
        created_at=created_at,
    )


def test_sms_by_partner_and_region_with_late_acks(organisation, story_page, regions):
    vnpt, viettel = PartnerFactory(name="VNPT"), PartnerFactory(name="Viettel")
    first = _entry(1, publication(story_page, at(2026, 10, 23), regions=[regions["a"]]), at(2026, 10, 23))
    last = _entry(
        2, publication(story_page, at(2026, 11, 22, 23), regions=[regions["b"]]), at(2026, 11, 22, 23, 59)
    )
    before = _entry(3, publication(story_page, at(2026, 10, 22, 23)), at(2026, 10, 22, 23, 59, 59))
    SmsAck.objects.create(partner=vnpt, entry=first, status="sent", recipients=100, at=at(2026, 10, 24))
    SmsAck.objects.create(
        partner=viettel, entry=first, status="sent", recipients=50, at=at(2026, 11, 23, 8)
    )  # late
    SmsAck.objects.create(
        partner=vnpt, entry=last, status="failed", recipients=0, at=at(2026, 11, 22, 23, 59)
    )
    SmsAck.objects.create(
        partner=viettel, entry=last, status="sent", recipients=30, at=at(2026, 11, 22, 23, 59)
    )
    SmsAck.objects.create(partner=vnpt, entry=before, status="sent", recipients=999, at=at(2026, 10, 23, 1))

    section = providers.sms(context(organisation))

    assert rows(section, "sms_by_partner") == [["VNPT", 2, 1, 1, 100, 0], ["Viettel", 2, 2, 0, 80, 1]]
    assert rows(section, "sms_by_region") == [["Thành phố Điện Biên Phủ", 2, 150], ["Huyện Mường Chà", 1, 30]]
    per_day = dict(rows(section, "sms_per_day"))
    assert per_day["23/10"] == 150 and per_day["22/11"] == 30 and sum(per_day.values()) == 180
    assert section["notes"][0][1] == {"messages": 2, "recipients": 180}


def test_led_online_share_and_playlist(organisation, story_page, regions):
    Screen.objects.create(code="s1", name="Chợ", region=regions["a"], last_seen_at=at(2026, 11, 20))
    Screen.objects.create(code="s2", name="Bến xe", region=regions["a"])
    Screen.objects.create(
        code="s3", name="Cũ", region=regions["a"], active=False, last_seen_at=at(2026, 11, 20)
    )
    Screen.objects.create(code="s4", name="Mường Chà", region=regions["b"], last_seen_at=at(2026, 10, 22, 23))
    Screen.objects.create(code="s5", name="Lai Châu", region=regions["other"], last_seen_at=at(2026, 11, 20))
    story = publication(story_page, at(2026, 10, 20))
    PlaylistItem.objects.create(
        publication=story, marker="m1", text="A", valid_from=at(2026, 10, 20), valid_until=at(2026, 10, 25)
    )
    PlaylistItem.objects.create(
        publication=story, marker="m2", text="B", valid_from=at(2026, 11, 23), valid_until=at(2026, 11, 25)
    )
    PlaylistItem.objects.create(
        publication=story,
        marker="m3",
        text="C",
        priority="urgent",
        valid_from=at(2026, 11, 1),
        valid_until=at(2026, 11, 2),
        retracted_at=at(2026, 11, 1, 12),
    )

    section = providers.led(context(organisation))

    assert rows(section, "led_screens") == [
        ["Huyện Mường Chà", 1, 0, 0.0, 0],
        ["Thành phố Điện Biên Phủ", 2, 1, 50.0, 0],
    ]
    params = section["notes"][0][1]
    assert (params["seen"], params["total"], params["share"]) == (1, 3, 33.3)
    assert (params["shown"], params["urgent"], params["retracted"]) == (2, 1, 1)


def test_social_posts_made_and_retracted(organisation, story_page):
    story = publication(story_page, at(2026, 11, 1))
    _delivery(story, "facebook", "p1", "sent", at(2026, 11, 1), sent_at=at(2026, 11, 1, 0, 1))
    retracted = _delivery(
        story, "facebook", "p2", "retracted", at(2026, 11, 1), sent_at=at(2026, 11, 1, 0, 1)
    )
    Delivery.objects.filter(pk=retracted.pk).update(updated_at=at(2026, 11, 5))
    _delivery(story, "x", "a1", "sent", at(2026, 11, 1), sent_at=at(2026, 11, 1, 0, 2), sandbox=True)
    _delivery(story, "x", "a2", "failed", at(2026, 11, 1))
    _delivery(story, "facebook", "p3", "sent", at(2026, 10, 1), sent_at=at(2026, 10, 1))  # before
    _delivery(story, "sms", "feed", "sent", at(2026, 11, 1), sent_at=at(2026, 11, 1))  # not social

    section = providers.social(context(organisation))

    assert rows(section, "social_posts") == [["facebook", 2, 1, 0, 0], ["x", 1, 0, 1, 1]]


def test_outbreak_phase_periods(organisation):
    site = organisation.site

    def change(when, old, new):
        row = PhaseChange.objects.create(site=site, from_phase=old, to_phase=new)
        PhaseChange.objects.filter(pk=row.pk).update(changed_at=when)

    change(at(2026, 10, 20), "new_normal", "outbreak")
    change(at(2026, 11, 1), "outbreak", "new_normal")
    change(at(2026, 11, 11), "new_normal", "outbreak")
    change(at(2026, 11, 23), "outbreak", "new_normal")  # after the period

    section = providers.phases(context(organisation))

    assert [[row[0], row[3]] for row in rows(section, "phases")] == [
        ["outbreak", 9.0],
        ["new_normal", 10.0],
        ["outbreak", 12.0],
    ]
    assert rows(section, "phases")[0][1] == PERIOD.start.isoformat()
    assert section["notes"][0][1] == {"days": 21.0, "changes": 2}


def test_loudspeaker_plays_and_deliveries_per_station_within_the_period(organisation, regions):
    from channels.loudspeaker.models import Play, PlayStatus, Reception
    from tests.factories.loudspeaker import BulletinFactory, StationFactory

    commune = StationFactory(organisation=organisation, region=regions["a"], code="him-lam", name="Him Lam")
    vehicle = StationFactory(organisation=organisation, region=regions["b"], code="xe-1", name="Xe lưu động")
    StationFactory(region=regions["other"], code="lai-chau")  # another organisation's: not counted
    first, second = BulletinFactory(), BulletinFactory()
    for station, bulletin, when, status in [
        (commune, first, at(2026, 10, 22, 23, 59), PlayStatus.PLAYED),  # the day before the period
        (commune, first, at(2026, 10, 23, 6), PlayStatus.PLAYED),
        (commune, second, at(2026, 11, 1, 17), PlayStatus.SKIPPED),
        (vehicle, second, at(2026, 11, 22, 23, 59), PlayStatus.FAILED),
        (vehicle, second, at(2026, 11, 23, 0, 0), PlayStatus.PLAYED),  # the day after the period
    ]:
        Play.objects.create(
            station=station, bulletin=bulletin, item=str(bulletin.pk), played_at=when, status=status
        )
    Reception.objects.create(station=commune, bulletin=first, delivered_at=at(2026, 10, 22, 23, 59))
    Reception.objects.create(station=vehicle, bulletin=second, delivered_at=at(2026, 11, 23, 0, 0))

    section = providers.loudspeakers(context(organisation))

    assert sorted(rows(section, "loudspeaker_plays")) == [
        ["him-lam · Him Lam", 1, 1, 0, 0],
        ["xe-1 · Xe lưu động", 0, 0, 1, 0],
    ]
    assert section["notes"][0][1] == {"heard": 1, "total": 2, "played": 1}


def test_rumours_reported_and_answered_in_the_period(organisation, regions):
    from hub.intake.models import Claim, ClaimStatus, TipKind, TipSource
    from hub.intake.services import IncomingReport, tip_intake

    def report(text, when, kind=TipKind.RUMOUR):
        return tip_intake(
            organisation=organisation,
            report=IncomingReport(
                kind=kind, source=TipSource.PORTAL, text=text, received_at=when, region_id=regions["a"].pk
            ),
        )

    before = report("Uống nước chanh nóng chữa khỏi bệnh", at(2026, 10, 22, 23))
    report("Uong nuoc chanh nong chua khoi benh", at(2026, 10, 23, 8))
    later = report("Tiêm vắc-xin gây vô sinh ở phụ nữ", at(2026, 11, 2, 9))
    report("Người trên 65 tuổi tiêm ở đâu?", at(2026, 11, 5, 10), kind=TipKind.QUESTION)
    Claim.objects.filter(pk=before.claim_id).update(
        status=ClaimStatus.ANSWERED, answered_at=at(2026, 10, 23, 11)
    )
    Claim.objects.filter(pk=later.claim_id).update(status=ClaimStatus.FALSE)

    section = providers.rumours(context(organisation))

    assert section["notes"][0][1] == {"reports": 3, "questions": 1, "answered": 1, "hours": 12.0}
    claims = dict(rows(section, "rumour_claims"))
    assert (
        claims["False"] == 1 and claims["New"] == 1
    )  # the claim first reported before the period is not counted
    assert rows(section, "rumour_days") == [["2026-10-23", 1], ["2026-11-02", 1], ["2026-11-05", 1]]
