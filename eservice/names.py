"""Small pieces both e-service domains use: bilingual names and random link tokens."""

import secrets

from django.utils.translation import get_language


def _bilingual(th, en):
    return en if get_language() == "en" and en else th


def new_token() -> str:
    return secrets.token_urlsafe(24)
