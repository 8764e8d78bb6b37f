"""`livret credential issue|revoke|status|verify|rotate-key`: badges from the command line.

Exit codes: 0 done (or the badge is authentic and in force), 1 refused or invalid (the badge is
forged, revoked, foreign; the user may not issue; nothing to issue), 2 bad input (unknown learner,
bloc, centre, user or file). Credentials carry settings.SITE_URL as their base URL, as on the web.
"""

from __future__ import annotations

import sys
import uuid


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _credential(uid: str):
    from .models import Credential

    try:
        return Credential.objects.select_related("bloc", "learner").get(uid=uuid.UUID(uid))
    except (ValueError, Credential.DoesNotExist):
        _err(f"aucun badge d'identifiant {uid}")
        return None


def cmd_issue(args) -> int:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ImproperlyConfigured, ValidationError

    from livret import access
    from livret.people.models import Learner
    from livret.referentiels.models import Bloc

    from . import services

    learner = Learner.objects.select_related("cohort__referentiel", "centre").filter(
        pk=args.learner_id
    )
    learner = learner.first()
    if learner is None:
        _err(f"aucun apprenant d'identifiant {args.learner_id}")
        return 2
    bloc = Bloc.objects.filter(referentiel=learner.cohort.referentiel, code=args.bloc_code).first()
    if bloc is None:
        _err(f"aucun bloc {args.bloc_code} au référentiel de {learner}")
        return 2
    users = get_user_model().objects.filter(is_active=True)
    if args.by:
        user = users.filter(username=args.by).first()
        if user is None:
            _err(f"aucun utilisateur actif {args.by}")
            return 2
        if not access.can(user, "livret.issue_credential", learner):
            _err(f"{args.by} n'a pas le droit d'émettre un badge pour {learner}")
            return 1
    else:
        # The operator acts for the platform: the badge names its administrator as issuer.
        user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            _err("aucun administrateur de la plateforme : précisez --by UTILISATEUR")
            return 2
    try:
        credential = services.issue(learner, bloc, user)
    except ValidationError as exc:
        _err(exc.messages[0])
        return 1
    except ImproperlyConfigured as exc:
        _err(str(exc))
        return 1
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(credential.jws)
    print(f"{credential.uid} : {credential.get_kind_display()} ({bloc.code}) pour {learner}")
    return 0


def cmd_revoke(args) -> int:
    from django.core.exceptions import ValidationError

    from . import services

    credential = _credential(args.uid)
    if credential is None:
        return 2
    if credential.revoked_at:
        _err(f"{credential.uid} : déjà révoqué le {credential.revoked_at:%d/%m/%Y}")
        return 1
    try:
        services.revoke(credential, args.reason)
    except ValidationError as exc:
        _err(exc.messages[0])
        return 2
    print(f"{credential.uid} : révoqué ({credential.revocation_reason})")
    return 0


def cmd_status(args) -> int:
    credential = _credential(args.uid)
    if credential is None:
        return 2
    what = f"{credential.uid} : {credential.get_kind_display()} ({credential.bloc.code}) pour "
    what += f"{credential.learner}, émis le {credential.issued_at:%d/%m/%Y}"
    if credential.revoked_at:
        print(
            f"{what} ; révoqué le {credential.revoked_at:%d/%m/%Y} : {credential.revocation_reason}"
        )
        return 1
    print(f"{what} ; en vigueur")
    return 0


def cmd_verify(args) -> int:
    from livret.engine import badges

    from .services import verify

    try:
        with open(args.file, encoding="utf-8") as fh:
            token = fh.read(200_000)
    except (OSError, UnicodeDecodeError) as exc:
        _err(f"lecture impossible de {args.file} : {getattr(exc, 'strerror', None) or exc}")
        return 2
    verdict = verify(token)
    print(f"{verdict.status} : {verdict.label}")
    return 0 if verdict.status == badges.VALID else 1


def cmd_rotate_key(args) -> int:
    from django.core.exceptions import ImproperlyConfigured

    from livret import access

    from . import services

    centre = access.centre_for_operator(args.centre)
    if centre is None:
        _err(f"aucun centre {args.centre} (son identifiant ou son nom exact)")
        return 2
    try:
        key = services.rotate_key(centre, args.alg)
    except ImproperlyConfigured as exc:
        _err(str(exc))
        return 1
    print(
        f"{centre.name} : nouvelle clé {key.alg} active, {key.kid} ; les clés précédentes restent "
        "publiées pour vérifier les badges déjà émis"
    )
    return 0


def register(sub, setup) -> None:
    """Add `credential …` to the `livret` parser; `setup` starts Django before each command."""

    def run(command):
        def call(args):
            setup()
            return command(args)

        return call

    cred = sub.add_parser("credential", help="badges Open Badges 3.0").add_subparsers(
        dest="action", required=True
    )
    p = cred.add_parser("issue", help="émettre le badge d'un bloc pour un apprenant")
    p.add_argument("learner_id", type=int, help="identifiant de l'apprenant")
    p.add_argument("bloc_code", help="code du bloc, ex. B1")
    p.add_argument("--by", help="utilisateur qui émet (défaut : l'administrateur de la plateforme)")
    p.add_argument("--output", help="écrire le badge (.jwt) dans ce fichier")
    p.set_defaults(func=run(cmd_issue))
    p = cred.add_parser("revoke", help="révoquer un badge")
    p.add_argument("uid", help="identifiant du badge")
    p.add_argument("--reason", required=True, help="motif de la révocation")
    p.set_defaults(func=run(cmd_revoke))
    p = cred.add_parser("status", help="état d'un badge (en vigueur ou révoqué)")
    p.add_argument("uid", help="identifiant du badge")
    p.set_defaults(func=run(cmd_status))
    p = cred.add_parser("verify", help="vérifier un badge (fichier .jwt)")
    p.add_argument("file")
    p.set_defaults(func=run(cmd_verify))
    p = cred.add_parser(
        "rotate-key", help="nouvelle clé de signature d'un centre (les anciennes restent publiées)"
    )
    p.add_argument("centre", help="identifiant ou nom exact du centre")
    p.add_argument("--alg", choices=["EdDSA", "RS256"], help="algorithme (défaut : le même)")
    p.set_defaults(func=run(cmd_rotate_key))
