"""Reading the sitemap as a search engine does: the index, then every section page."""

import re


def full_sitemap(client) -> str:
    """The XML of every section sitemap the index lists, joined."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert "<sitemapindex" in index.content.decode()
    bodies = []
    for loc in re.findall(r"<loc>(.*?)</loc>", index.content.decode()):
        response = client.get(loc.replace("&amp;", "&").removeprefix("http://testserver"))
        assert response.status_code == 200, loc
        bodies.append(response.content.decode())
    return "\n".join(bodies)
