"""The demo's organisations: Điện Biên province (default portal, with its health department as a
child organisation) and Bảo Lộc city in Lâm Đồng province (its own portal, regions and people).

Bảo Lộc's ward and commune codes are illustrative, in the national scheme's shape.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from hub import models as hub_models
from hub.organisations import organisation_adopt_hub_wide, organisation_create, role_group
from hub.permissions import APPROVERS, CHANNEL_MANAGERS, EDITORS, HEALTH_REVIEWERS, POLICE_REVIEWERS

DIEN_BIEN = "dien-bien"
HEALTH_DEPARTMENT = "so-y-te-dien-bien"
BAO_LOC = "bao-loc"

LAM_DONG = ("68", "Tỉnh Lâm Đồng")
BAO_LOC_CITY = ("672", "Thành phố Bảo Lộc")
BAO_LOC_WARDS = [
    ("24820", "Phường 1"),
    ("24823", "Phường Lộc Thanh"),
    ("24826", "Phường 2"),
    ("24829", "Phường Lộc Tiến"),
    ("24832", "Phường B'Lao"),
    ("24835", "Phường Lộc Sơn"),
    ("24838", "Phường Lộc Phát"),
    ("24841", "Xã Đại Lào"),
    ("24844", "Xã Lộc Châu"),
    ("24847", "Xã Đạm Bri"),
    ("24850", "Xã Lộc Thanh"),
    ("24853", "Xã Lộc Nga"),
]

# Per organisation: the username suffix and the people of each role.
ROLE_USERS = [
    ("bientap", ("Thảo", "Nguyễn Phương"), EDITORS),
    ("yte", ("Bình", "Đỗ Văn"), HEALTH_REVIEWERS),
    ("congan", ("Sơn", "Hoàng Văn"), POLICE_REVIEWERS),
    ("pheduyet", ("Hương", "K'"), APPROVERS),
    ("kenh", ("Tùng", "Ka"), CHANNEL_MANAGERS),
]
USER_SUFFIXES = {BAO_LOC: "_bl", HEALTH_DEPARTMENT: "_syt"}

BAO_LOC_SECTIONS = [
    {
        "slug": "tin-tuc",
        "title": "Tình hình dịch bệnh",
        "intro": "Diễn biến dịch và kết quả phòng, chống dịch trên địa bàn thành phố Bảo Lộc.",
        "model": "SituationPage",
        "stories": [
            {
                "title": "Bảo Lộc: “Phòng thủ chặt, tấn công thần tốc”, không để dịch lây lan rộng",
                "summary": "Thành phố tiếp tục thực hiện nghiêm các biện pháp phòng, chống dịch, bảo đảm “mục tiêu kép” "
                "vừa chống dịch vừa duy trì lao động, sản xuất.",
                "sms_text": "TP Bao Loc: Thuc hien nghiem 5K, tiem vac-xin day du. Khai bao y te khi co trieu chung.",
                "led_text": "Bảo Lộc: thực hiện nghiêm 5K, tiêm vắc-xin đầy đủ",
                "as_of": "now",
                "regions": ["672"],
                "channels": ["facebook", "sms", "led"],
            },
            {
                "title": "Phường Lộc Phát tổ chức tiêm vắc-xin cho người lao động tại các doanh nghiệp",
                "summary": "Trạm y tế phường phối hợp với các doanh nghiệp chè, tơ lụa tổ chức tiêm tại chỗ cho công nhân.",
                "as_of": "now",
                "regions": ["24838"],
                "channels": ["facebook", "led"],
            },
        ],
    },
    {
        "slug": "guong-nguoi-tot",
        "title": "Gương người tốt, việc tốt",
        "intro": "Những tấm gương tiêu biểu trong phòng, chống dịch ở Bảo Lộc.",
        "model": "GoodExamplePage",
        "stories": [
            {
                "title": "Đoàn viên thanh niên Bảo Lộc lan tỏa thông tin chính thống trên mạng xã hội",
                "summary": "Hơn 300 đoàn viên chia sẻ thông tin chính thống, khuyến cáo của ngành y tế tới các nhóm Zalo khu dân cư.",
                "honoree": "Đoàn Thanh niên thành phố Bảo Lộc",
                "locality": "Thành phố Bảo Lộc",
                "achievement": "Chia sẻ thông tin chính thống tới hơn 200 nhóm Zalo khu dân cư.",
                "regions": ["672"],
                "channels": ["facebook"],
            }
        ],
    },
]


def _region(code: str, name: str, level: str, parent=None) -> hub_models.Region:
    region, _created = hub_models.Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return region


def _users(organisation, password: str) -> dict[str, object]:
    suffix = USER_SUFFIXES[organisation.slug]
    users = {}
    for base, (first_name, last_name), role in ROLE_USERS:
        username = f"{base}{suffix}"
        user, _created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@example.org"},
        )
        user.set_password(password)
        user.save()
        user.groups.add(role_group(organisation, role))
        users[role] = user
    return users


@transaction.atomic
def build(*, home, password: str, say) -> dict[str, hub_models.Organisation]:
    """The three organisations, their people and subscriptions; safe to run again."""
    organisations = {}
    site = Site.objects.get(is_default_site=True)
    dien_bien = hub_models.Organisation.objects.filter(slug=DIEN_BIEN).first()
    if dien_bien is None:
        dien_bien = hub_models.Organisation.objects.filter(site=site).first() or hub_models.Organisation(
            slug=DIEN_BIEN
        )
        dien_bien.name = "Ủy ban nhân dân tỉnh Điện Biên"
        dien_bien.slug = DIEN_BIEN
        dien_bien.kind = hub_models.OrganisationKind.PROVINCE
        dien_bien.site = site
        dien_bien.region = hub_models.Region.objects.get(code="11")
        dien_bien.save()
    organisations[DIEN_BIEN] = dien_bien
    say(f"  {dien_bien.name}: http://{site.hostname}:{site.port}/")

    port = site.port
    department = hub_models.Organisation.objects.filter(slug=HEALTH_DEPARTMENT).first()
    if department is None:
        department = organisation_create(
            name="Sở Y tế tỉnh Điện Biên",
            slug=HEALTH_DEPARTMENT,
            kind=hub_models.OrganisationKind.DEPARTMENT,
            parent=dien_bien,
            hostname="yte.localhost",
            port=port,
            region=dien_bien.region,
            intro="Nguồn thông tin y tế chính thống của tỉnh Điện Biên.",
            progress=say,
        )
    organisations[HEALTH_DEPARTMENT] = department

    bao_loc = hub_models.Organisation.objects.filter(slug=BAO_LOC).first()
    if bao_loc is None:
        lam_dong = _region(*LAM_DONG, hub_models.RegionLevel.PROVINCE)
        city = _region(*BAO_LOC_CITY, hub_models.RegionLevel.DISTRICT, lam_dong)
        for code, name in BAO_LOC_WARDS:
            _region(code, name, hub_models.RegionLevel.COMMUNE, city)
        bao_loc = organisation_create(
            name="Thành ủy Bảo Lộc",
            slug=BAO_LOC,
            kind=hub_models.OrganisationKind.CITY,
            hostname="localhost",
            port=port,
            region=city,
            site_name="Cổng thông tin phòng, chống dịch thành phố Bảo Lộc",
            intro="Thông tin chính thống về phòng, chống dịch COVID-19 trên địa bàn thành phố Bảo Lộc.",
            progress=say,
        )
    organisations[BAO_LOC] = bao_loc
    organisation_adopt_hub_wide(organisation=dien_bien)

    # Bảo Lộc takes Điện Biên's rebuttals; the province takes everything its health department publishes.
    hub_models.Subscription.objects.get_or_create(
        subscriber=bao_loc, source=dien_bien, defaults={"kinds": ["rebuttal"]}
    )
    hub_models.Subscription.objects.get_or_create(subscriber=dien_bien, source=department)
    return organisations


def build_users(organisations, password: str) -> dict[str, dict[str, object]]:
    return {slug: _users(organisations[slug], password) for slug in USER_SUFFIXES}


def build_stories(organisation, users) -> int:
    """Bảo Lộc's own sections and stories, published by its own approver."""
    home = organisation.site.root_page.specific
    regions = {region.code: region for region in hub_models.Region.objects.within(organisation.region)}
    created = 0
    for section_data in BAO_LOC_SECTIONS:
        section = hub_models.StoryIndexPage.objects.child_of(home).filter(slug=section_data["slug"]).first()
        if section is None:
            section = home.add_child(
                instance=hub_models.StoryIndexPage(
                    title=section_data["title"], slug=section_data["slug"], intro=section_data["intro"]
                )
            )
        model = getattr(hub_models, section_data["model"])
        for story_data in section_data["stories"]:
            fields = dict(story_data)
            slug = slugify(fields["title"])[:80]
            if Page.objects.child_of(section).filter(slug=slug).exists():
                continue
            codes = fields.pop("regions")
            if fields.get("as_of") == "now":
                fields["as_of"] = timezone.now()
            with transaction.atomic():
                story = section.add_child(instance=model(slug=slug, owner=users[EDITORS], **fields))
                story.regions.set([regions[code] for code in codes])
                revision = story.save_revision(user=users[EDITORS], log_action=True)
                revision.publish()  # the system seeds demo content; the gate logs it
            created += 1
    return created


def users_to_print() -> list[tuple[str, str]]:
    rows = []
    for slug, suffix in USER_SUFFIXES.items():
        for base, _names, role in ROLE_USERS:
            rows.append((f"{base}{suffix}", f"{role} · {slug}"))
    return rows
