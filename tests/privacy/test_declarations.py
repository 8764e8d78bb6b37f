"""Issue 21, item 8: every table with a key to a learner or a user says, beside its models, how
it is exported, anonymised and archived — or why it is none of these."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, FieldError

from livret.ops import rights
from livret.people.models import Learner
from livret.personal_data import DELETE, KEEP, SCRUB
from livret.privacy import registry


def _keys_to_a_person(model) -> list[str]:
    people = (get_user_model(), Learner)
    return [
        f.name
        for f in model._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model in people
    ]


def test_every_table_with_a_key_to_a_learner_or_a_user_is_declared():
    declared, excluded = registry.tables(), registry.excluded()
    missing = []
    for model in apps.get_models():
        if not _keys_to_a_person(model):
            continue
        # A past version (simple_history's twin) goes with its model's declaration.
        base = getattr(model, "instance_type", None) or model
        label = base._meta.label
        if label not in declared and label not in excluded:
            missing.append(model._meta.label)
    assert not missing, f"declare these in their app's personal_data.py: {missing}"
    for e in excluded.values():
        assert len(e.reason) > 20, e.model


def test_declarations_name_real_fields_and_lookups(db):
    for label, table in registry.tables().items():
        model = apps.get_model(label)
        names = {f.name for f in model._meta.get_fields()}
        for field in (*table.export, *table.scrub, *table.files, *table.archive_names):
            assert field in names, f"{label}.{field}"
        for field in table.archive_omit:
            assert field in names, f"{label}.{field} (archive_omit)"
        for key in table.archive_names.values():
            assert model._meta.get_field(key).related_model is get_user_model(), (label, key)
        for lookup in (*table.centre, table.learner, table.user):
            if lookup:
                try:
                    model.objects.filter(**{lookup: 1}).exists()
                except (FieldError, FieldDoesNotExist) as exc:
                    raise AssertionError(f"{label}: {lookup}") from exc
        # Each of the three uses is declared, or its absence explained.
        assert table.centre or table.not_archived, f"{label}: archived how, or why not?"
        assert table.export_as or table.not_exported, f"{label}: exported how, or why not?"
        assert table.history in (KEEP, DELETE, SCRUB), label
        if table.delete and hasattr(model, "history"):
            assert table.history == DELETE, f"{label}: deleted rows leave past versions"
        if table.custom:
            assert table.custom in rights._STEPS, (label, table.custom)
        if table.scrub or table.files or table.delete:
            assert table.learner or table.user, f"{label}: anonymised rows of whom?"
    keys = [t.export_as for t in registry.tables().values() if t.export_as]
    assert len(keys) == len(set(keys))
