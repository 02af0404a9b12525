"""Every page type can be created in the Wagtail admin by a form post; production settings check clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from hub import models
from tests.factories import UserFactory
from tests.factories.pages import ALERT_FORM_DEFAULTS

ROOT = Path(__file__).resolve().parents[2]


def _common(title: str) -> dict:
    return {
        "title": title,
        "slug": title.lower().replace(" ", "-"),
        "summary": "Tóm tắt ngắn gọn cho danh sách và nguồn cấp.",
        "body": streamfield([("paragraph", rich_text("<p>Nội dung chính của bài.</p>"))]),
        "channels": ["facebook", "led"],
        "sms_text": "",
        "social_text": "",
        "led_text": "",
        **ALERT_FORM_DEFAULTS,
    }


CASES = {
    models.GoodExamplePage: {
        "honoree": "Bà Lò Thị Hoa",
        "locality": "Xã Thanh Minh",
        "achievement": "Vận động 120 hộ đi tiêm vắc-xin.",
    },
    models.VaccinationPage: {
        "campaign": "Chiến dịch tiêm mùa thu",
        "starts_on": "2021-10-01",
        "ends_on": "2021-10-15",
        "eligible_groups": "Người từ 18 tuổi",
        "sites": streamfield(
            [("site", {"name": "Trạm Y tế Him Lam", "address": "Tổ 5", "hours": "7:30–17:00"})]
        ),
        "how_to_donate": rich_text("<p>Chuyển khoản vào Quỹ vắc-xin.</p>"),
    },
    models.RebuttalPage: {
        "claim": "Nước chanh nóng chữa khỏi bệnh.",
        "claim_appeared_in": "Một nhóm Zalo",
        "claim_appeared_on": "2021-08-02",
        "verdict": "false",
        "evidence": rich_text("<p>Không có cơ sở khoa học.</p>"),
    },
    models.DirectivePage: {
        "document_number": "15/CT-UBND",
        "issued_on": "2021-07-28",
        "issuing_body": "Ủy ban nhân dân tỉnh Điện Biên",
    },
    models.SituationPage: {
        "as_of": "2021-08-20 10:00",
        "figures": streamfield([("figure", {"label": "Ca mắc mới", "value": "12"})]),
    },
}


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def _add(admin_client, model, parent, data):
    url = reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])
    return admin_client.post(url, nested_form_data(data))


@pytest.mark.parametrize("model", list(CASES), ids=lambda model: model.__name__)
def test_every_story_type_is_creatable_in_the_admin(admin_client, story_index, model):
    title = f"Bai thu {model.__name__}"

    response = _add(admin_client, model, story_index, {**_common(title), **CASES[model]})

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = model.objects.get(title=title)
    assert page.get_parent().pk == story_index.pk
    assert page.summary.startswith("Tóm tắt")
    for field, value in CASES[model].items():
        plain_text = isinstance(value, str) and not value.lstrip().startswith("{")
        if plain_text and field not in {"starts_on", "ends_on", "claim_appeared_on", "issued_on", "as_of"}:
            assert getattr(page, field) == value


def test_home_and_index_are_creatable_in_the_admin(admin_client, db):
    from wagtail.models import Page

    root = Page.get_first_root_node()
    response = _add(
        admin_client,
        models.HomePage,
        root,
        {"title": "Trang chu moi", "slug": "trang-chu-moi", "intro": "Giới thiệu"},
    )
    assert response.status_code == 302
    home = models.HomePage.objects.get(slug="trang-chu-moi")

    response = _add(
        admin_client, models.StoryIndexPage, home, {"title": "Tin tuc", "slug": "tin-tuc", "intro": "Mục tin"}
    )

    assert response.status_code == 302
    assert models.StoryIndexPage.objects.child_of(home).filter(slug="tin-tuc").exists()


def _manage(args, env):
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_for_production_settings(tmp_path):
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.vn",
        "BASE_URL": "https://portal.example.vn",
        "HUB_VAR_DIR": str(tmp_path),
    }

    result = _manage(["check", "--deploy", "--settings=hub.settings.production"], env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_name_a_missing_secret_key_in_one_line(tmp_path):
    env = {
        "ALLOWED_HOSTS": "portal.example.vn",
        "BASE_URL": "https://portal.example.vn",
        "HUB_VAR_DIR": str(tmp_path),
    }

    result = _manage(["check", "--settings=hub.settings.production"], env)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SECRET_KEY" in lines[0]
