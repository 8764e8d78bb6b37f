from livret.access import role_of


def role(request):
    user = getattr(request, "user", None)
    return {"role": role_of(user) if user is not None else None}
