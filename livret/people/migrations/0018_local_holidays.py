from django.db import migrations, models

CHOICES = [
    ("", "France métropolitaine"),
    ("57", "Moselle"),
    ("6AE", "Alsace (Bas-Rhin, Haut-Rhin)"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0017_renew_calendar_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name=name,
            name="local_holidays",
            field=models.CharField(
                blank=True, choices=CHOICES, default="", max_length=3, verbose_name="jours fériés"
            ),
        )
        for name in ("historicalorganisation", "organisation")
    ]
