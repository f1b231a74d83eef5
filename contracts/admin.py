from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Contract, ContractLine


class ContractLineInline(admin.TabularInline):
    model = ContractLine
    extra = 0


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "provider", "title", "contract_type", "status", "annual_value", "end_date")
    list_filter = ("contract_type", "status", "commissioning_team")
    search_fields = ("reference", "title", "provider__name")
    inlines = [ContractLineInline]
