import re


def test_x(world):
    page = world.client("village_a").get("/").content.decode()
    header = page[page.index('<header class="top">') : page.index("</header>")]
    print(re.findall(r'(?:href|action|data-suggest)="([^"]*)"', header))
    assert 0
