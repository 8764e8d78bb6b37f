# The VAE clocks (engine/vae_clocks), the 2025 feasibility file, the certifier's settings.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0020_learner_email_to_account"),
        ("referentiels", "0002_versions_as_drafts"),
        ("vae", "0005_candidacy_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="admissibilitydecision",
            name="implicit",
            field=models.BooleanField(default=False, verbose_name="décision implicite"),
        ),
        migrations.AddField(
            model_name="candidacy",
            name="actualised_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="candidacy",
            name="prerequisites",
            field=models.TextField(blank=True, verbose_name="prérequis : comment je les remplis"),
        ),
        migrations.AddField(
            model_name="candidacy",
            name="validation_sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicaladmissibilitydecision",
            name="implicit",
            field=models.BooleanField(default=False, verbose_name="décision implicite"),
        ),
        migrations.AddField(
            model_name="historicalcandidacy",
            name="actualised_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalcandidacy",
            name="prerequisites",
            field=models.TextField(blank=True, verbose_name="prérequis : comment je les remplis"),
        ),
        migrations.AddField(
            model_name="historicalcandidacy",
            name="validation_sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicaljuryresult",
            name="notified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="juryresult",
            name="notified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="vaeoffer",
            name="prerequisites",
            field=models.TextField(
                blank=True, verbose_name="prérequis de la certification (s'il y en a)"
            ),
        ),
        migrations.AlterField(
            model_name="admissibilitydecision",
            name="decided_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="candidacy",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Projet en cours"),
                    ("feasibility_sent", "Dossier de faisabilité envoyé"),
                    ("feasibility_incomplete", "Dossier de faisabilité incomplet"),
                    ("feasibility_admissible", "Recevable"),
                    ("feasibility_inadmissible", "Non recevable"),
                    ("validation_sent", "Dossier de validation envoyé"),
                    ("jury_done", "Jury passé"),
                    ("withdrawn", "Abandonné"),
                    ("lapsed", "Caduc (non actualisé)"),
                ],
                default="draft",
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="candidacyevent",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="historicalcandidacy",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Projet en cours"),
                    ("feasibility_sent", "Dossier de faisabilité envoyé"),
                    ("feasibility_incomplete", "Dossier de faisabilité incomplet"),
                    ("feasibility_admissible", "Recevable"),
                    ("feasibility_inadmissible", "Non recevable"),
                    ("validation_sent", "Dossier de validation envoyé"),
                    ("jury_done", "Jury passé"),
                    ("withdrawn", "Abandonné"),
                    ("lapsed", "Caduc (non actualisé)"),
                ],
                default="draft",
                max_length=30,
            ),
        ),
        migrations.CreateModel(
            name="FeasibilityOpinion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "opinion",
                    models.CharField(
                        choices=[("favourable", "Favorable"), ("reserved", "Réservé")],
                        max_length=20,
                        verbose_name="avis",
                    ),
                ),
                ("reasons", models.TextField(max_length=4000, verbose_name="motifs")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "candidacy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="opinions",
                        to="vae.candidacy",
                    ),
                ),
            ],
            options={
                "verbose_name": "avis de faisabilité",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalPriorLearning",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("formation", "Formation suivie"),
                            ("certification", "Certification obtenue"),
                        ],
                        max_length=20,
                        verbose_name="nature",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="intitulé")),
                (
                    "organisation",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="organisme ou certificateur"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="année")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "candidacy",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="vae.candidacy",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical formation ou certification détenue",
                "verbose_name_plural": "historical formation ou certification détenues",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalVaeSettings",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "actualisation_months",
                    models.PositiveSmallIntegerField(
                        default=6, verbose_name="actualisation de la candidature tous les … mois"
                    ),
                ),
                (
                    "alert_days",
                    models.PositiveSmallIntegerField(
                        default=15, verbose_name="alerte … jours avant l'échéance"
                    ),
                ),
                (
                    "retention_years",
                    models.PositiveSmallIntegerField(
                        default=5,
                        verbose_name="conservation des données des candidats (années après le jury ou l'abandon)",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "certifier",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="people.organisation",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical réglages VAE du certificateur",
                "verbose_name_plural": "historical réglages VAE du certificateurs",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PriorLearning",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("formation", "Formation suivie"),
                            ("certification", "Certification obtenue"),
                        ],
                        max_length=20,
                        verbose_name="nature",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="intitulé")),
                (
                    "organisation",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="organisme ou certificateur"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="année")),
                (
                    "candidacy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="prior_learning",
                        to="vae.candidacy",
                    ),
                ),
            ],
            options={
                "verbose_name": "formation ou certification détenue",
                "ordering": ["-year", "pk"],
            },
        ),
        migrations.CreateModel(
            name="VaeSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "actualisation_months",
                    models.PositiveSmallIntegerField(
                        default=6, verbose_name="actualisation de la candidature tous les … mois"
                    ),
                ),
                (
                    "alert_days",
                    models.PositiveSmallIntegerField(
                        default=15, verbose_name="alerte … jours avant l'échéance"
                    ),
                ),
                (
                    "retention_years",
                    models.PositiveSmallIntegerField(
                        default=5,
                        verbose_name="conservation des données des candidats (années après le jury ou l'abandon)",
                    ),
                ),
                (
                    "certifier",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="vae_settings",
                        to="people.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "réglages VAE du certificateur",
            },
        ),
    ]
