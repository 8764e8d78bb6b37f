"""Badges: the learner's blocs, issuing and revoking (centre staff), downloading, public verification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from livret import access
from livret.engine import badges
from livret.people.models import Organisation
from livret.privacy.services import log_access
from livret.referentiels.models import Bloc
from livret.web import throttle

from . import scopes, services
from .forms import VerifyForm
from .models import Credential, IssuerKey


def _can_issue(user, learner) -> bool:
    return access.can(user, "livret.issue_credential", learner)


def learner_badges(request, pk):
    learner = access.get_learner_for_user(request.user, pk)
    log_access(request, learner, "badges")
    blocs = (
        Bloc.objects.filter(referentiel=learner.cohort.referentiel)
        .prefetch_related("competences")
        .order_by("position")
    )
    # Blocs this person validated by VAE (jury of the certifier): they stay acquired, here too.
    vae_blocs = {}
    if learner.user_id:
        from livret.vae.models import ValidatedBloc

        vae_blocs = {
            v.bloc.code: v
            for v in ValidatedBloc.objects.filter(
                person_id=learner.user_id,
                bloc__referentiel__diploma_id=learner.cohort.referentiel.diploma_id,
            ).select_related("bloc")
        }
    issued: dict[int, list] = {}
    for c in Credential.objects.filter(learner=learner, revoked_at__isnull=True):
        issued.setdefault(c.bloc_id, []).append(c)
    rows = []
    for b in blocs:
        found = services.ground_for(learner, b)
        kind, ground = found if found else (None, None)
        credentials = issued.get(b.pk, [])
        rows.append(
            {
                "bloc": b,
                "kind": kind,
                "ground": ground,
                "credentials": credentials,
                "can_add": kind is not None and all(c.kind != kind for c in credentials),
                "vae": vae_blocs.get(b.code),
            }
        )
    return render(
        request,
        "credentials/learner.html",
        {
            "learner": learner,
            "rows": rows,
            "can_issue": _can_issue(request.user, learner),
            "revoked": Credential.objects.filter(learner=learner, revoked_at__isnull=False),
        },
    )


@require_POST
def issue(request, pk, bloc_id):
    learner = access.get_learner_for_user(request.user, pk)
    access.require(request.user, "livret.issue_credential", learner)
    bloc = get_object_or_404(Bloc, pk=bloc_id, referentiel=learner.cohort.referentiel)
    try:
        credential = services.issue(learner, bloc, request.user)
        messages.success(
            request, f"{credential.get_kind_display()} ({bloc.code}) émis pour {learner}."
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except ImproperlyConfigured as exc:
        # No key-encryption key on this instance: said plainly, nothing signed.
        messages.error(request, str(exc))
    return redirect("learner_badges", learner.pk)


@require_POST
def revoke(request, uid):
    credential = scopes.get_credential_for_user(request.user, uid)
    access.require(request.user, "livret.issue_credential", credential.learner)
    try:
        services.revoke(credential, request.POST.get("reason", ""))
        messages.success(request, "Badge révoqué.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("learner_badges", credential.learner.pk)


def download(request, uid):
    credential = scopes.get_credential_for_user(request.user, uid)
    response = HttpResponse(credential.jws, content_type="application/vc+jwt")
    response["Content-Disposition"] = (
        f'attachment; filename="badge-{credential.bloc.code}-{credential.uid}.jwt"'
    )
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def verify_page(request):
    verdict = None
    # Public and costly (a signature checked, a key fetched): a limit per address.
    if request.method == "POST" and not throttle.allowed(request, "badge_verify"):
        return throttle.refused(request, "badge_verify")
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        verdict = services.verify(form.cleaned_data["text"])
        if verdict.status == badges.MALFORMED:
            # Not a badge at all: an error of what was sent, beside the field it came from.
            form.add_error(form.cleaned_data["from"], verdict.label)
            verdict = None
    return render(
        request,
        "credentials/verify.html",
        {"verdict": verdict, "form": form},
        status=400 if form.errors else 200,
    )


def _organisation_with_keys(org_id) -> Organisation:
    # A centre that never issued has nothing to publish.
    if not IssuerKey.objects.filter(organisation_id=org_id).exists():
        raise Http404
    return get_object_or_404(Organisation, pk=org_id)


@login_not_required
def issuer_profile(request, org_id):
    organisation = _organisation_with_keys(org_id)
    return JsonResponse(services.issuer_profile(organisation))


@login_not_required
def jwks(request, org_id):
    organisation = _organisation_with_keys(org_id)
    return JsonResponse(services.jwks(organisation))


@login_not_required
def key(request, org_id, name):
    """What a credential's `kid` dereferences to: its public key as a JWK."""
    found = get_object_or_404(IssuerKey, organisation_id=org_id, name=name)
    return JsonResponse(badges.public_jwk(found.public_pem, found.kid, found.alg))


@login_not_required
def status_list(request, org_id):
    """The centre's revocation list: a signed W3C BitstringStatusListCredential."""
    organisation = _organisation_with_keys(org_id)
    try:
        token = services.signed_status_list(organisation)
    except ImproperlyConfigured:
        return HttpResponse(
            "Liste de révocation indisponible : la plateforme ne peut pas la signer.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Cache-Control"] = "public, max-age=60"
    return response
