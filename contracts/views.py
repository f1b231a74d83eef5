"""Pages of the contract register (its import is assurance.register_views: a background job)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView

from providers.views import (
    RegisterDeleteView,
    RegisterFormView,
    RegisterListView,
)

from . import exports, selectors
from .filters import ContractFilter
from .forms import ContractForm, ContractLineFormSet
from .models import Contract
from .services import contract_save
from .tables import ContractTable


class ContractListView(RegisterListView):
    permission_required = "contracts.view_contract"
    filterset_class = ContractFilter
    table_class = ContractTable
    template_name = "contracts/contract_list.html"
    title = _("Contract register")
    create_url = "contracts:contract_create"
    create_permission = "contracts.add_contract"
    create_label = _("Add a contract")

    def get_queryset(self):
        return selectors.contract_list()

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.export(export)
        return super().get(request, *args, **kwargs)

    def export(self, file_format):
        filterset = self.filterset_class(self.request.GET, queryset=self.get_queryset(), request=self.request)
        contracts = filterset.qs.prefetch_related("lines__service").order_by("reference")
        header, rows = exports.contract_table(contracts)
        stamp = timezone.localdate().isoformat()
        if file_format == "csv":
            response = HttpResponse(exports.to_csv(header, rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                exports.to_xlsx(header, rows, str(_("Contracts"))),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="contract-register-{stamp}.{file_format}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.contract_totals(context["filter"].qs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        for file_format in ("csv", "xlsx"):
            query["export"] = file_format
            context[f"export_{file_format}"] = f"?{query.urlencode()}"
        return context


class ContractDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "contracts.view_contract"
    template_name = "contracts/contract_detail.html"
    context_object_name = "contract"

    def get_queryset(self):
        return selectors.contract_list().prefetch_related("lines__service")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["line_totals"] = selectors.contract_lines_totals(self.object)
        context["history"] = selectors.contract_history(self.object)
        return context


class ContractFormMixin(RegisterFormView):
    """Contract and its lines on one page, saved together by one service."""

    model = Contract
    form_class = ContractForm
    template_name = "contracts/contract_form.html"
    cancel_url = "contracts:contract_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("lines", kwargs.get("lines") or ContractLineFormSet(instance=self.object))
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object_or_none()
        form = self.get_form()
        lines = ContractLineFormSet(request.POST, instance=self.object or Contract())
        if form.is_valid() and lines.is_valid():
            data = {name: value for name, value in form.cleaned_data.items() if name != "reference"}
            self.object, _outcome = contract_save(
                reference=form.cleaned_data["reference"],
                data=data,
                lines=lines.planned_lines(),
                # As stored: the form's validation has already put the new values on self.object.
                contract=Contract.objects.get(pk=self.object.pk) if self.object and self.object.pk else None,
            )
            messages.success(request, self.get_success_message(form.cleaned_data))
            return redirect(self.object.get_absolute_url())
        # One error summary for the page: the contract's fields and its lines together.
        form.extra_error_summary = lines.error_summary()
        return self.render_to_response(self.get_context_data(form=form, lines=lines))


class ContractCreateView(ContractFormMixin, CreateView):
    permission_required = "contracts.add_contract"

    def get_object_or_none(self):
        return None

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("provider", "").isdigit():
            initial["provider"] = int(self.request.GET["provider"])
        return initial

    def get_title(self):
        return _("Add a contract")


class ContractUpdateView(ContractFormMixin, UpdateView):
    permission_required = "contracts.change_contract"

    def get_object_or_none(self):
        return self.get_object()

    def get_title(self):
        return _("Edit contract %(reference)s") % {"reference": self.object.reference}


class ContractDeleteView(RegisterDeleteView):
    permission_required = "contracts.delete_contract"
    model = Contract
    success_url = reverse_lazy("contracts:contract_list")
    protected_message = _("%(object)s cannot be deleted because other records depend on it.")
