import pytest

from tracker.store.ids import canonical_url, item_id

SLUG = "https://www.regjeringen.no/no/dokumenter/horing-endringer-i-apenhetsloven/id3171341/"


@pytest.mark.parametrize(
    "variant",
    [
        SLUG,
        SLUG + "?utm_source=rss&utm_medium=rss",
        SLUG.replace("https://", "http://"),
        SLUG.replace("www.", ""),
        "https://www.regjeringen.no/no/dokumenter/id3171341/",
        SLUG + "#main",
    ],
)
def test_regjeringen_url_variants_give_one_id(variant):
    assert item_id("no_regjeringen_horinger", None, variant) == "regjeringen:3171341"
    assert canonical_url(variant) == "https://regjeringen.no/no/dokumenter/id3171341/"


def test_same_regjeringen_page_from_two_spiders_is_one_item():
    assert item_id("no_finansdep", "3171341", SLUG) == item_id("no_regjeringen_horinger", "3171341", SLUG)


def test_native_id_wins_elsewhere():
    assert item_id("no_stortinget_horinger", "sak-104908", "https://stortinget.no/x?p=1") == "no_stortinget_horinger:sak-104908"


def test_url_hash_id_ignores_tracking_but_not_real_parameters():
    a = item_id("no_x", None, "https://example.org/a?p=1&utm_campaign=z")
    assert a == item_id("no_x", None, "http://www.example.org/a?p=1")
    assert a != item_id("no_x", None, "https://example.org/a?p=2")
    assert a.startswith("no_x:u:")
