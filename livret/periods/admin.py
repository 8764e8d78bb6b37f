from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, Contract, Period


class AgreementInline(admin.StackedInline):
    model = Agreement
    filter_horizontal = ["objectives"]
    extra = 0


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["learner", "kind", "company", "start", "end", "attestation_received"]
    list_filter = ["kind", "attestation_received"]
    inlines = [AgreementInline]


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["learner", "kind", "company", "start", "end"]


admin.site.register(Agreement, SimpleHistoryAdmin)
