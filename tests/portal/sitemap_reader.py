"""Reading the portal's sitemap in tests: the index, its children and every address they list."""

from lxml import etree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return response, etree.fromstring(response.content)


def sitemap_children(client) -> list[str]:
    _response, index = sitemap_xml(client, "/sitemap.xml")
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [
        loc.replace("http://testserver", "") for loc in index.xpath("s:sitemap/s:loc/text()", namespaces=NS)
    ]


def sitemap_locations(client) -> list[str]:
    found = []
    for child in sitemap_children(client):
        _response, urlset = sitemap_xml(client, child)
        found += urlset.xpath("s:url/s:loc/text()", namespaces=NS)
    return found
