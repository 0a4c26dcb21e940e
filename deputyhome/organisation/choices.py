from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("省")
    PREFECTURE = "prefecture", _("州（地级）")
    COUNTY = "county", _("县级")
    CITY = "city", _("市")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")
    STREET = "street", _("街道")
    SCENIC = "scenic", _("风景区管理处")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")


# The length of a region's code by its kind (GB/T 2260 and the statistics codes 统计用区划代码): 2 digits
# for a province, 4 for a prefecture, 6 for a county-level unit (a county, or a county-level city such as
# 恩施市), 9 for a township-level unit, 12 for a village or community.
CODE_LENGTHS: dict[str, int] = {
    RegionKind.PROVINCE: 2,
    RegionKind.PREFECTURE: 4,
    RegionKind.COUNTY: 6,
    RegionKind.CITY: 6,
    RegionKind.TOWN: 9,
    RegionKind.TOWNSHIP: 9,
    RegionKind.STREET: 9,
    RegionKind.SCENIC: 9,
    RegionKind.VILLAGE: 12,
    RegionKind.COMMUNITY: 12,
}

# Township-level kinds (乡镇级): the units that have a deputy home.
TOWNSHIP_LEVEL_KINDS = (RegionKind.TOWN, RegionKind.TOWNSHIP, RegionKind.STREET, RegionKind.SCENIC)
# Only towns and townships elect a people's congress of their own; streets and offices do not.
CONGRESS_KINDS = (RegionKind.TOWN, RegionKind.TOWNSHIP)


class StationKind(models.TextChoices):
    HOME = "home", _("人大代表之家")
    LIAISON = "liaison", _("人大代表联络站")


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("政府部门")
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    OTHER = "other", _("其他")


class CongressLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    PREFECTURE = "prefecture", _("州")
    CITY = "city", _("市")
    TOWNSHIP = "township", _("乡")
