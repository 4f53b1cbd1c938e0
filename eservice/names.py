"""Small pieces both e-service domains use: random link tokens."""

import secrets


def new_token() -> str:
    return secrets.token_urlsafe(24)
