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


def base_letters(text):
    """Thai text as a PDF's text layer gives it back: without the above/below marks (drawn apart from their
    consonant) and spaces, sara am as sara aa (drawn as nikhahit + sara aa). Compare both sides through it."""
    marks = {chr(c) for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)]}
    text = text.replace("\u0e33", "\u0e32")
    return "".join(ch for ch in text if ch not in marks and not ch.isspace())

