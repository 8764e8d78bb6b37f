"""Reading what a request carries: a malformed value is a 400 naming its field, never a 500.

Views read ids, keys that carry ids and return addresses through these helpers. An id that parses but names
nothing the user may see stays the access module's business (a 404): only the shape is judged
here. `BadParameter` is a `BadRequest`, so Django answers 400 through `livret.web.views.
bad_request`, which shows the message (French) on the site's 400 page.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.db.models import IntegerField
from django.db.models.lookups import In
from django.utils.http import url_has_allowed_host_and_scheme

# The largest key a database holds (BigAutoField); beyond it a number is no id at all.
MAX_ID = 2**63 - 1


class BadParameter(BadRequest):
    """A field whose value cannot be what the view expects; the message is shown to the user."""

    def __init__(self, field: str, problem: str = "valeur invalide"):
        self.field = field
        self.message = f"Le champ « {field} » est invalide : {problem}."
        super().__init__(self.message)


def parse_id(raw, field: str, *, required: bool = True) -> int | None:
    """One id: digits only, between 1 and the largest key; None if absent and not required."""
    raw = "" if raw is None else str(raw).strip()
    if not raw:
        if required:
            raise BadParameter(field, "valeur manquante")
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise BadParameter(field, "un identifiant numérique est attendu")
    value = int(raw)
    if not 1 <= value <= MAX_ID:
        raise BadParameter(field, "identifiant hors limites")
    return value


def id_param(data, field: str, *, required: bool = True) -> int | None:
    """The id in `data[field]` (a QueryDict: request.POST or request.GET)."""
    return parse_id(data.get(field), field, required=required)


def ids_param(data, field: str) -> list[int]:
    """Every id of a multi-valued field (checkboxes, multiple select); none is fine."""
    return [parse_id(raw, field) for raw in data.getlist(field) if str(raw).strip()]


def key_parts(key: str, prefix: str, count: int) -> list[str]:
    """The parts of a field name that carries ids (`g-<candidate>-<unit>`): exactly `count`
    parts after `prefix-`, else a 400 naming the field."""
    parts = key[len(prefix) + 1 :].split("-", count - 1) if key.startswith(prefix + "-") else []
    if len(parts) != count or not all(parts):
        raise BadParameter(key, "nom de champ inattendu")
    return parts


def safe_next(request, default: str) -> str:
    """Where to go after an action: the `next` asked for (POST, else GET) if it is a path of
    this site, else `default`. Never a foreign host, never `javascript:`, never a bare word
    (which `redirect` would try as a view name)."""
    wanted = request.POST.get("next") or request.GET.get("next")
    if (
        wanted
        and wanted.startswith("/")
        and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return wanted
    return default


class InRange(In):
    """`pk__in` (a multiple choice field's check) with ids no column can hold left out: SQLite
    refuses to bind them (OverflowError, a 500); `exact` and comparisons already drop them."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                v
                for v in self.rhs
                if not isinstance(v, int)
                or ((low is None or v >= low) and (high is None or v <= high))
            ]
        return super().process_rhs(compiler, connection)


def register_lookups() -> None:
    IntegerField.register_lookup(InRange)
