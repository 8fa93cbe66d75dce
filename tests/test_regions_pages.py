"""Region navigation pages: each persona sees its own scope; anything outside answers 404."""

from django.urls import reverse


def detail(code: str) -> str:
    return reverse("regions:detail", args=[code])


def test_village_clerk_starts_at_and_sees_only_its_village(world):
    client = world.client("village_a")
    index = client.get(reverse("regions:index"))
    assert index.status_code == 200
    assert "东岭村" in index.content.decode()
    assert "西岭村" not in index.content.decode()
    page = client.get(detail("420322100201"))
    assert page.status_code == 200
    text = page.content.decode()
    # Ancestors by name only: the clerk may not open them.
    assert "郧西县" in text and "城关镇" in text
    assert f'href="{detail("420322")}"' not in text
    assert "东岭村委会" in text
    assert client.get(detail("420322100202")).status_code == 404
    assert client.get(detail("420322")).status_code == 404


def test_county_officer_sees_children_with_badges_and_counts(world):
    page = world.client("county_a").get(detail("420322"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "贫困县" in text
    assert f'href="{detail("420322100")}"' in text and "土门镇" in text
    assert "郧西县扶贫办" in text
    assert "竹山县" not in text
    township = world.client("county_a").get(detail("420322100")).content.decode()
    assert "东岭村" in township and "西岭村" in township and "贫困村" in township


def test_other_county_answers_404(world):
    client = world.client("county_b")
    assert client.get(detail("420322")).status_code == 404
    assert client.get(detail("420322100201")).status_code == 404
    assert client.get(detail("420323")).status_code == 200
    assert client.get(detail("999999")).status_code == 404


def test_sysadmin_browses_the_county_it_administers(world):
    client = world.client("sysadmin_a")
    assert client.get(detail("420322")).status_code == 200
    assert "在此新建立档单位" in client.get(detail("420322")).content.decode()
    assert client.get(detail("420323")).status_code == 404


def test_signed_out_visitor_is_sent_to_login(client, world):
    response = client.get(reverse("regions:index"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
