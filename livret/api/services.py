"""Personal API tokens: issued and revoked in one transaction, with their history."""

from django.db import transaction

from .models import ApiToken


@transaction.atomic
def issue_token(user, name: str):
    return ApiToken.issue(user, name)


@transaction.atomic
def revoke_token(token: ApiToken) -> None:
    token.revoked = True
    token.save(update_fields=["revoked"])
