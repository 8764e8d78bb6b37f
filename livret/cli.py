"""The `livret` console command (also `python -m livret`).

livret referentiel validate FILE…        check files, list every fault, exit 1 if any
livret referentiel load [FILE…]          load files (default: data/referentiels/*.yaml)
livret referentiel list                  loaded diplomas and versions
livret referentiel show CODE [--version AAAA-MM-JJ] [--format json|text]
livret referentiel import-rncp FILE --fiche RNCPnnnnn [--centre NOM]
                                         a fiche of France compétences' open data as a draft
livret setup [--demo]                    migrate, load every référentiel, create the demo admin
livret serve [--host H] [--port P]       start the web server (gunicorn), a worker and the scheduler
livret worker                            run background jobs (PDF batches, imports)
livret scheduler [--once] [--list]       run the periodic work (alerts, digests, purges, pruning)
livret notify                            send the daily notification digests (cron)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time

KIND_LABELS = {
    "pole": "pôles",
    "activity": "activités",
    "task": "tâches",
    "competence": "compétences",
    "knowledge": "savoirs",
    "module_group": "groupes de module",
    "bloc": "blocs",
    "unit": "unités",
    "exam": "épreuves",
}


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livret.settings")
    import django

    django.setup()


def cmd_validate(args) -> int:
    from livret.referentiels.validator import coded_items, validate_file

    status = 0
    for path in args.files:
        result = validate_file(path)
        if result.ok:
            kinds = {kind: 0 for kind in KIND_LABELS}
            for item in coded_items(result.data):
                kinds[item.kind] += 1
            summary = ", ".join(f"{n} {KIND_LABELS[k]}" for k, n in kinds.items() if n)
            print(f"{path}: valide ({summary or 'aucun élément codé'})")
        else:
            status = 1
            for fault in result.faults:
                print(fault, file=sys.stderr)
            print(f"{path}: {len(result.faults)} erreur(s)", file=sys.stderr)
    return status


def cmd_load(args) -> int:
    _django()
    from livret.referentiels.loader import LoadError, default_files, load_files

    files = args.files or default_files()
    try:
        loaded = load_files(files)
    except LoadError as exc:
        for fault in exc.faults:
            print(fault, file=sys.stderr)
        print("Rien n'a été chargé.", file=sys.stderr)
        return 1
    for item in loaded:
        ref = item.referentiel
        state = "chargé" if item.created else "déjà chargé, inchangé"
        print(
            f"{ref.diploma.slug} {ref.version.isoformat()}: {state} ({os.path.basename(item.filename)})"
        )
    return 0


def cmd_list(args) -> int:
    _django()
    from livret.referentiels.models import Competence, Referentiel

    refs = Referentiel.objects.select_related("diploma").order_by("diploma__slug", "-version")
    if not refs:
        print("Aucun référentiel chargé (livret referentiel load).")
        return 0
    counts = {}
    for ref_id in Competence.objects.values_list("referentiel_id", flat=True):
        counts[ref_id] = counts.get(ref_id, 0) + 1
    width = max(len(r.diploma.slug) for r in refs)
    for ref in refs:
        partial = " (partiel)" if ref.is_partial else ""
        if ref.is_draft:
            partial += " (brouillon)"
        rncp = ref.rncp_code or "RNCP ?"
        print(
            f"{ref.diploma.slug:<{width}}  {ref.version.isoformat()}  {rncp:<10}  {counts.get(ref.pk, 0):>3} compétences  {ref.title}{partial}"
        )
    return 0


def cmd_show(args) -> int:
    _django()
    from livret.referentiels.models import Referentiel

    refs = Referentiel.objects.filter(diploma__slug=args.code).order_by("-version")
    if args.version:
        refs = refs.filter(version=args.version)
    ref = refs.first()
    if ref is None:
        print(
            f"référentiel « {args.code} »{' version ' + args.version if args.version else ''} introuvable",
            file=sys.stderr,
        )
        return 1
    if args.format == "json":
        # The loaded file's shape; a draft says so (status), as does a centre's own version.
        doc = dict(ref.document)
        if ref.status != ref.PUBLISHED:
            doc["status"] = ref.status
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        if ref.status != ref.PUBLISHED:
            print("BROUILLON (non publié : aucune promotion ne peut l'utiliser)")
        print_text(ref.document)
    return 0


def cmd_import_rncp(args) -> int:
    """Exit 0 with {"id", "version"}; 2 when the file, the fiche or the centre is wrong."""
    _django()
    from livret import access
    from livret.referentiels.imports import import_fiche
    from livret.referentiels.rncp import RncpError

    owner = None
    if args.centre:
        owner = access.centre_for_operator(args.centre)
        if owner is None:
            print(f"centre « {args.centre} » introuvable", file=sys.stderr)
            return 2
    try:
        with open(args.file, "rb") as stream:
            done = import_fiche(stream, os.path.basename(args.file), args.fiche, owner=owner)
    except OSError as exc:
        print(f"{args.file} : lecture impossible ({exc.strerror})", file=sys.stderr)
        return 2
    except RncpError as exc:
        print(f"{exc}\nRien n'a été chargé.", file=sys.stderr)
        return 2
    ref = done.referentiel
    print(json.dumps({"id": ref.diploma.slug, "version": ref.version.isoformat()}))
    if not done.created:
        print("déjà importée, inchangée", file=sys.stderr)
    return 0


def print_text(doc: dict) -> None:
    print(f"{doc['title']} — {doc['id']} version {doc['version']}")
    rncp = (doc.get("rncp") or {}).get("code")
    if rncp:
        print(f"RNCP : {rncp}")
    if doc["completeness"] == "partial":
        print("Référentiel partiel ; il manque :")
        for item in doc.get("missing") or []:
            print(f"  - {item}")
    for pole in doc.get("poles") or []:
        print(f"{pole['code']} {pole['title']}")
        for act in pole.get("activities") or []:
            print(f"  {act['code']} {act['title']}")
            for label, key in (
                ("tâche", "tasks"),
                ("compétence", "competences"),
                ("savoir", "knowledge"),
            ):
                for item in act.get(key) or []:
                    print(f"    [{label}] {item['code']} {item['title']}")
    for mod in doc.get("modules") or []:
        print(f"Module {mod['unit']} {mod['title']}")
        for group in mod["groups"]:
            print(f"  {group['code']} {group['title']}")
            for comp in group["competences"]:
                print(f"    [compétence] {comp['code']} {comp['title']}")
    for comp in doc.get("competences") or []:
        print(f"[compétence] {comp['code']} {comp['title']}")
    for bloc in doc.get("blocs") or []:
        print(
            f"Bloc {bloc['code']} {bloc['title']}{' (facultatif)' if bloc.get('optional') else ''}"
        )
    for exam in doc.get("exams") or []:
        for e in [exam, *(exam.get("parts") or [])]:
            coef = f" coef. {e['coefficient']}" if e.get("coefficient") is not None else ""
            print(
                f"Épreuve {e['code']} {e['title']}{coef}{' (facultative)' if e.get('optional') else ''}"
            )


def cmd_periods_check(args) -> int:
    from livret.periods_cli import main as periods_main

    return periods_main(args)


def cmd_jury_compute(args) -> int:
    from livret.jury_cli import main as jury_main

    return jury_main(args)


def cmd_privacy_purge(args) -> int:
    _django()
    from livret.jobs.services import files_days
    from livret.ops.rights import purge

    done = purge()
    print(f"{done['consultations']} consultation(s) effacée(s).")
    print(f"{done['fichiers']} tâche(s) de plus de {files_days()} jours : fichiers effacés.")
    print(f"{done['apprenants']} apprenant(s) anonymisé(s) (durée de conservation écoulée).")
    print(f"{done['candidats_vae']} candidat(s) VAE anonymisé(s) (durée de conservation écoulée).")
    return 0


def cmd_export_centre(args) -> int:
    _django()
    from livret import access
    from livret.ops.archive import export_archive

    centre = access.centre_for_operator(args.centre)
    if centre is None:
        print(f"centre « {args.centre} » introuvable", file=sys.stderr)
        return 1
    archive = export_archive(centre)
    # Personal data: readable by its owner only.
    fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8") as fh:
        json.dump(archive, fh, ensure_ascii=False)
    print(f"{len(archive['records'])} enregistrements écrits dans {args.output}")
    print("Données personnelles, sans mot de passe ni clé : conservez ce fichier à l'abri.")
    return 0


def cmd_restore(args) -> int:
    _django()
    from django.conf import settings
    from django.core.exceptions import ValidationError

    from livret.ops.archive import invite_restored_accounts, restore_archive

    try:
        with open(args.archive, encoding="utf-8") as fh:
            archive = json.load(fh)
        n = restore_archive(archive)
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        print(f"restauration impossible : {message} ; rien n'a été chargé", file=sys.stderr)
        return 1
    print(f"{n} enregistrements restaurés")
    # No password travels in an archive: each account chooses its own through a link.
    sent, without = invite_restored_accounts(settings.SITE_URL)
    print(
        f"{sent} lien(s) pour choisir un mot de passe envoyé(s) par courriel ({settings.SITE_URL})."
    )
    if without:
        print(
            f"{len(without)} compte(s) sans courriel, à qui donner un lien autrement "
            f"(« Mot de passe oublié ? » une fois l'adresse saisie) : {', '.join(without)}"
        )
    return 0


def cmd_backup(args) -> int:
    _django()
    from livret.ops.archive import backup, backup_key, decrypt_backup

    try:
        key = backup_key()
        if args.decrypt:
            if key is None:
                print("LIVRET_BACKUP_KEY n'est pas défini : rien à déchiffrer", file=sys.stderr)
                return 1
            print(f"sauvegarde déchiffrée : {decrypt_backup(args.decrypt, args.output, key)}")
            return 0
        path = backup(args.output, key)
    except (OSError, RuntimeError) as exc:
        print(f"sauvegarde impossible : {exc}", file=sys.stderr)
        return 1
    print(f"sauvegarde écrite : {path} (lisible par vous seul)")
    print(
        "Sauvegarde complète de l'instance : mots de passe hachés, jetons, clés chiffrées des "
        "badges — elle est à l'exploitant, jamais à un centre."
    )
    if key is None:
        print(
            "Non chiffrée : définissez LIVRET_BACKUP_KEY (32 octets en base64) pour la chiffrer, "
            "ou chiffrez-la avant de la copier ailleurs."
        )
    else:
        print("Chiffrée (AES-256-GCM, LIVRET_BACKUP_KEY) : gardez la clé ailleurs que la copie.")
    return 0


def cmd_setup(args) -> int:
    if args.demo:
        # Before Django reads its settings: the demo's own random keys, once, under var/.
        from pathlib import Path

        from livret.instance_keys import ensure_demo_keys, var_dir

        for path in ensure_demo_keys(var_dir(Path(__file__).resolve().parent.parent)):
            print(f"Clé aléatoire de la démo créée : {path} (hors du dépôt, lisible par vous seul)")
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.conf import settings

    if settings.STATIC_ROOT:
        # Hashed, compressed copies for whitenoise (the demo serves from the apps' folders).
        call_command("collectstatic", verbosity=0, interactive=False)
        print(f"Fichiers statiques rassemblés dans {settings.STATIC_ROOT}.")
    status = cmd_load(argparse.Namespace(files=[]))
    if status:
        return status
    if args.demo:
        from livret.ops import demo

        if demo.create():
            print("Centres de démonstration créés (un CFA et un lycée professionnel).")
    return 0


def default_workers() -> int:
    """gunicorn's advice, (2 × cores) + 1, unless WEB_CONCURRENCY says otherwise."""
    if os.environ.get("WEB_CONCURRENCY"):
        return max(1, int(os.environ["WEB_CONCURRENCY"]))
    return 2 * (os.cpu_count() or 1) + 1


def cmd_serve(args) -> int:
    """Serve with gunicorn, a production WSGI server (static files by whitenoise)."""
    _django()
    from django.conf import settings

    from livret.instance_keys import settings_problems
    from livret.ops import demo

    # Refused before anything listens: a known or missing key lets anyone forge sessions and
    # password-reset links (HTTPS or not), a missing key-encryption key leaves badges unsignable.
    found = settings_problems(settings)
    if found:
        print("Livret ne démarre pas :", file=sys.stderr)
        for problem in found:
            print(f"  - {problem}", file=sys.stderr)
        print("  (README, « Mise en production » : les clés)", file=sys.stderr)
        return 2

    url = f"http://{args.host}:{args.port}/"
    # Links in e-mails follow the address served here unless the deployment names its own.
    os.environ.setdefault("SITE_URL", url.rstrip("/"))
    workers = args.workers or default_workers()
    print("\n  Livret est prêt : " + url + f"  (gunicorn, {workers} processus)")
    if args.demo_accounts:
        print(f"  Comptes de démonstration (mot de passe : {demo.DEMO_PASSWORD}) :")
        for username, what in demo.ACCOUNTS:
            print(f"    {username:<18} {what}")
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        print(
            f"  Courriels : rien ne part, chaque envoi est écrit dans {settings.EMAIL_FILE_PATH}/"
        )
        print("  (README, « Voir les courriels de la démo »)")
    print(flush=True)
    web = [
        sys.executable,
        "-m",
        "gunicorn",
        "livret.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        os.environ.get("WEB_TIMEOUT", "120"),
        # Trust X-Forwarded-* only from the configured proxies' side: gunicorn itself never
        # rewrites REMOTE_ADDR; the app reads the client address (livret.web.login_security).
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    # Long work (PDF batches, imports) waits in the database for a worker: one is started here
    # unless the deployment runs its own (`livret worker`, as many as wanted).
    children = [subprocess.Popen(web)]
    if not args.no_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "livret", "worker"]))
    # Periodic work runs without waiting for a visitor; schedulers on several servers share it
    # (each task runs once a day whatever their number).
    if not args.no_scheduler:
        children.append(subprocess.Popen([sys.executable, "-m", "livret", "scheduler"]))

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(c.poll() is None for c in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for c in children:
            if c.poll() is None:
                c.terminate()
        for c in children:
            try:
                c.wait(timeout=20)
            except subprocess.TimeoutExpired:
                c.kill()
    # A child stopped by our own terminate() has a negative code: that is a clean stop.
    return next((c.returncode for c in children if (c.returncode or 0) > 0), 0)


def cmd_notify(args) -> int:
    """Send the daily digests (cron); run twice, the second run sends nothing."""
    _django()
    from livret.notifications.services import send_digests

    done = send_digests()
    print(f"{done['sent']} récapitulatif(s) envoyé(s), {done['retried']} courriel(s) renvoyé(s).")
    return 0


def cmd_holidays_import(args) -> int:
    """Load the Ministry's school calendar export (data.education.gouv.fr, fr-en-calendrier-scolaire)."""
    _django()
    from pathlib import Path

    from livret.periods.holidays import HolidayFileError, load

    try:
        per_zone = load(Path(args.file))
    except (OSError, HolidayFileError) as exc:
        print(f"{args.file} : rien n'est chargé.", file=sys.stderr)
        for line in getattr(exc, "problems", [str(exc)]):
            print(f"  - {line}", file=sys.stderr)
        return 2
    for zone, n in sorted(per_zone.items()):
        print(f"zone {zone} : {n} période(s) de vacances chargée(s)")
    return 0


def cmd_worker(args) -> int:
    """Run background jobs as they are asked for (django-tasks' database worker)."""
    _django()
    from django.core.management import call_command

    call_command("db_worker", "--interval", str(args.interval), "--no-startup-delay")
    return 0


def cmd_scheduler(args) -> int:
    """Run the periodic work when due: once (cron, systemd timer) or in a loop (serve)."""
    _django()
    from livret.ops import scheduler

    if args.list:
        from livret.ops.models import ScheduledRun

        for task in scheduler.TASKS:
            last = ScheduledRun.objects.filter(task=task.name).first()
            state = (
                "jamais lancée"
                if last is None
                else f"{last.started_at:%d/%m/%Y %H:%M} "
                + {True: "réussie", False: "ÉCHEC", None: "en cours ou interrompue"}[last.ok]
            )
            print(f"{task.name:<14} {state:<36} {task.label}")
        return 0
    if args.once:
        runs = scheduler.run_due()
        for run in runs:
            print(f"{run.task} : {run.result if run.ok else 'ÉCHEC (voir le journal)'}")
        return 1 if any(not run.ok for run in runs) else 0
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.loop(args.interval, lambda: bool(stopping))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="livret", description="Livret : référentiels, livrets, examens."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ref = sub.add_parser("referentiel", help="référentiels de diplômes").add_subparsers(
        dest="action", required=True
    )
    p = ref.add_parser("validate", help="valider des fichiers YAML")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_validate)
    p = ref.add_parser("load", help="charger des fichiers (par défaut data/referentiels/*.yaml)")
    p.add_argument("files", nargs="*")
    p.set_defaults(func=cmd_load)
    p = ref.add_parser("list", help="lister les référentiels chargés")
    p.set_defaults(func=cmd_list)
    p = ref.add_parser("show", help="afficher un référentiel")
    p.add_argument("code", help="identifiant, ex. bts-mos")
    p.add_argument("--version", help="date de version AAAA-MM-JJ (défaut : la plus récente)")
    p.add_argument("--format", choices=["json", "text"], default="text")
    p.set_defaults(func=cmd_show)
    p = ref.add_parser(
        "import-rncp", help="importer une fiche RNCP (open data de France compétences) en brouillon"
    )
    p.add_argument("file", help="export XML V4.1 (ou son zip) ou zip des CSV")
    p.add_argument("--fiche", required=True, help="numéro de fiche, ex. RNCP38362")
    p.add_argument("--centre", help="centre propriétaire du brouillon (défaut : la plateforme)")
    p.set_defaults(func=cmd_import_rncp)

    per = sub.add_parser("periods", help="périodes en entreprise").add_subparsers(
        dest="action", required=True
    )
    p = per.add_parser(
        "check", help="vérifier des périodes contre les règles d'un référentiel (JSON)"
    )
    p.add_argument("--referentiel", required=True, help="identifiant, ex. bts-mos")
    p.add_argument("--input", required=True, help="fichier JSON, ou - pour l'entrée standard")
    p.set_defaults(func=cmd_periods_check)

    jury = sub.add_parser("jury", help="examens et jury").add_subparsers(
        dest="action", required=True
    )
    p = jury.add_parser("compute", help="moyennes et décisions selon le règlement d'examen (JSON)")
    p.add_argument("--referentiel", required=True, help="identifiant, ex. bts-mos")
    p.add_argument("--input", required=True, help="fichier JSON, ou - pour l'entrée standard")
    p.set_defaults(func=cmd_jury_compute)

    # credential issue|revoke|status|verify|rotate-key (livret.credentials.cli)
    from livret.credentials.cli import register as register_credential

    register_credential(sub, _django)

    # vae tick (livret.vae.cli)
    from livret.vae.cli import register as register_vae

    register_vae(sub, _django)

    priv = sub.add_parser("privacy", help="données personnelles").add_subparsers(
        dest="action", required=True
    )
    p = priv.add_parser(
        "purge",
        help="effacer les consultations plus anciennes que la durée fixée par chaque centre",
    )
    p.set_defaults(func=cmd_privacy_purge)

    p = sub.add_parser("export-centre", help="archive JSON de toutes les données d'un centre")
    p.add_argument("centre", help="nom ou numéro du centre")
    p.add_argument("output", help="fichier JSON à écrire")
    p.set_defaults(func=cmd_export_centre)
    p = sub.add_parser("restore", help="restaurer une archive de centre dans une base neuve")
    p.add_argument("archive")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser(
        "backup",
        help="sauvegarde de toute la base (SQLite : API de sauvegarde ; PostgreSQL : pg_dump)",
    )
    p.add_argument("output")
    p.add_argument(
        "--decrypt",
        metavar="FICHIER_CHIFFRE",
        help="déchiffrer une sauvegarde (avec LIVRET_BACKUP_KEY) dans OUTPUT",
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("setup", help="migrer la base et charger les référentiels")
    p.add_argument(
        "--demo", action="store_true", help="créer aussi le compte administrateur de démonstration"
    )
    p.set_defaults(func=cmd_setup)
    p = sub.add_parser("serve", help="démarrer le serveur web")
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", default=os.environ.get("PORT", "8000"))
    p.add_argument(
        "--workers",
        type=int,
        default=0,
        help="processus (défaut : WEB_CONCURRENCY ou 2 × cœurs + 1)",
    )
    p.add_argument(
        "--demo-accounts", action="store_true", help="rappeler les comptes de démonstration"
    )
    p.add_argument(
        "--no-worker",
        action="store_true",
        help="ne pas lancer de processus de tâches de fond (lancez `livret worker` à part)",
    )
    p.add_argument(
        "--no-scheduler",
        action="store_true",
        help="ne pas lancer le planificateur (lancez `livret scheduler` à part, ou par cron)",
    )
    p.set_defaults(func=cmd_serve)
    hol = sub.add_parser("holidays", help="vacances scolaires par zone").add_subparsers(
        dest="action", required=True
    )
    p = hol.add_parser(
        "import",
        help="charger l'export du calendrier scolaire du ministère (JSON ou CSV de "
        "data.education.gouv.fr, jeu fr-en-calendrier-scolaire)",
    )
    p.add_argument("file")
    p.set_defaults(func=cmd_holidays_import)
    p = sub.add_parser("notify", help="envoyer les récapitulatifs de notifications (chaque jour)")
    p.set_defaults(func=cmd_notify)
    p = sub.add_parser("worker", help="exécuter les tâches de fond (impressions, imports)")
    p.add_argument("--interval", type=float, default=0.5, help="secondes entre deux recherches")
    p.set_defaults(func=cmd_worker)
    p = sub.add_parser(
        "scheduler",
        help="travaux périodiques : alertes, récapitulatifs, purges, nettoyage (une fois par jour)",
    )
    p.add_argument("--once", action="store_true", help="lancer ce qui est dû puis s'arrêter (cron)")
    p.add_argument("--list", action="store_true", help="dernière exécution de chaque travail")
    p.add_argument("--interval", type=float, default=60, help="secondes entre deux vérifications")
    p.set_defaults(func=cmd_scheduler)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
