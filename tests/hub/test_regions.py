import pytest

from hub.models import Region, RegionLevel
from hub.models.regions import paths_overlap
from tests.factories import RegionFactory


@pytest.fixture
def tree(db):
    province = RegionFactory(code="11", name="Tỉnh Điện Biên")
    district = RegionFactory(
        code="094", name="Thành phố Điện Biên Phủ", level=RegionLevel.DISTRICT, parent=province
    )
    ward = RegionFactory(code="03127", name="Phường Him Lam", level=RegionLevel.COMMUNE, parent=district)
    other = RegionFactory(code="096", name="Huyện Mường Nhé", level=RegionLevel.DISTRICT, parent=province)
    return province, district, ward, other


def test_paths_follow_the_tree(tree):
    province, _district, ward, _other = tree

    assert province.path == "/11/"
    assert ward.path == "/11/094/03127/"
    assert ward.lineage_codes == ["11", "094", "03127"]
    assert ward.depth == 3


def test_covering_and_within(tree):
    province, district, ward, _other = tree

    assert set(Region.objects.covering(ward)) == {province, district, ward}
    assert set(Region.objects.within(district)) == {district, ward}


def test_overlapping_includes_ancestors_and_descendants_only(tree):
    province, district, ward, other = tree

    assert set(Region.objects.overlapping([district])) == {province, district, ward}
    assert other not in Region.objects.overlapping([ward])
    assert set(Region.objects.overlapping([])) == set()


def test_moving_a_region_moves_its_subtree(tree):
    _province, district, ward, other = tree

    district.parent = other
    district.save()

    ward.refresh_from_db()
    assert ward.path == "/11/096/094/03127/"


def test_renaming_a_code_rewrites_paths_below(tree):
    _province, district, ward, _other = tree

    district.code = "094b"
    district.save()

    ward.refresh_from_db()
    assert ward.path == "/11/094b/03127/"


def test_a_region_cannot_be_its_own_ancestor(tree):
    from django.core.exceptions import ValidationError

    province, district, _ward, _other = tree
    province.parent = district
    with pytest.raises(ValidationError):
        province.full_clean()


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("/11/", "/11/094/", True),
        ("/11/094/", "/11/", True),
        ("/11/094/", "/11/096/", False),
        ("/11/", "/11/", True),
    ],
)
def test_paths_overlap(first, second, expected):
    assert paths_overlap(first, second) is expected
