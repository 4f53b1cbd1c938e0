"""Reading a rendered page the way a citizen sees it."""

import re


def main_text(client, url, language="th"):
    """The visible text of a page's <main> in the given language: scripts, styles and tags dropped, so attributes
    and URLs keep their digits out of the check."""
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    main = re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S).group(1)
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)
