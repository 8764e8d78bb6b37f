"""No clear private key column left; one active key per centre; one status bit per credential."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("credentials", "0005_encrypt_private_keys")]

    operations = [
        migrations.RemoveField(
            model_name='issuerkey',
            name='private_pem',
        ),
        migrations.AlterField(
            model_name='issuerkey',
            name='name',
            field=models.CharField(max_length=40, unique=True),
        ),
        migrations.AddConstraint(
            model_name='credential',
            constraint=models.UniqueConstraint(fields=('issuer', 'status_index'), name='credential_status_index_per_issuer'),
        ),
        migrations.AddConstraint(
            model_name='issuerkey',
            constraint=models.UniqueConstraint(condition=models.Q(('active', True)), fields=('organisation',), name='one_active_issuer_key'),
        ),
    ]
