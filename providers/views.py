"""Pages for providers, services and commissioning teams.

Every view checks its permission on the server (PermissionRequiredMixin): anonymous
users are sent to log in, signed-in users without the permission get 403.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DeleteView, FormView, ListView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import lists, selectors
from .filters import ProviderFilter, ServiceFilter
from .forms import CommissioningTeamForm, ProviderForm, ServiceForm, SpreadsheetUploadForm
from .importing import ImportFileError
from .models import CommissioningTeam, Provider, Service
from .tables import ProviderTable, ServiceTable, TeamTable


class RegisterListMixin(PermissionRequiredMixin, SingleTableMixin):
    """A sorted, paginated table page with an optional "add" button."""

    template_name = "register/list.html"
    table_pagination = {"per_page": 25}
    title = ""
    create_url = None
    create_permission = None
    create_label = ""

    def dispatch(self, request, *args, **kwargs):
        # A page size or page number that is not a positive whole number shows the first page (issue 16).
        request.GET = lists.clean_list_query(request.GET)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        if self.create_url and self.request.user.has_perm(self.create_permission):
            context["create_url"] = self.create_url
            context["create_label"] = self.create_label
        return context


class RegisterListView(RegisterListMixin, FilterView):
    """A filtered, sorted, paginated list: FilterSet + filter form + table (NetBox's shape)."""


class RegisterFormView(PermissionRequiredMixin, SuccessMessageMixin):
    """Create and edit pages: the form re-displays with messages until it is valid."""

    template_name = "register/form.html"
    cancel_url = None

    def get_success_message(self, cleaned_data):
        return _("%(object)s has been saved.") % {"object": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.get_title()
        context["cancel_url"] = self.get_cancel_url()
        return context

    def get_cancel_url(self):
        if getattr(self, "object", None) and self.object.pk:
            return self.object.get_absolute_url()
        return self.cancel_url


class RegisterDeleteView(PermissionRequiredMixin, DeleteView):
    """Ask for confirmation, then delete; refuse with a reason if others depend on it."""

    template_name = "register/confirm_delete.html"

    def form_valid(self, form):
        name = str(self.object)
        try:
            self.object.delete()
        except ProtectedError:
            messages.error(self.request, self.protected_message % {"object": name})
            return redirect(self.object.get_absolute_url())
        messages.success(self.request, _("%(object)s has been deleted.") % {"object": name})
        return redirect(self.get_success_url())


# Providers ---------------------------------------------------------------------------


class ProviderListView(RegisterListView):
    permission_required = "providers.view_provider"
    filterset_class = ProviderFilter
    table_class = ProviderTable
    title = _("Providers")
    create_url = "providers:provider_create"
    create_permission = "providers.add_provider"
    create_label = _("Add a provider")

    def get_queryset(self):
        return selectors.provider_list()


class ProviderCreateView(RegisterFormView, CreateView):
    permission_required = "providers.add_provider"
    model = Provider
    form_class = ProviderForm
    cancel_url = "providers:provider_list"

    def get_title(self):
        return _("Add a provider")


class ProviderUpdateView(RegisterFormView, UpdateView):
    permission_required = "providers.change_provider"
    model = Provider
    form_class = ProviderForm
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_title(self):
        return _("Edit %(object)s") % {"object": self.object}


class ProviderDeleteView(RegisterDeleteView):
    permission_required = "providers.delete_provider"
    model = Provider
    slug_field = "code"
    slug_url_kwarg = "code"
    success_url = reverse_lazy("providers:provider_list")
    protected_message = _("%(object)s has contracts, so it cannot be deleted. Mark it inactive instead.")


# Services ----------------------------------------------------------------------------


class ServiceListView(RegisterListView):
    permission_required = "providers.view_service"
    filterset_class = ServiceFilter
    table_class = ServiceTable
    title = _("Services")
    create_url = "providers:service_create"
    create_permission = "providers.add_service"
    create_label = _("Add a service")

    def get_queryset(self):
        return selectors.service_list()


class ServiceCreateView(RegisterFormView, CreateView):
    permission_required = "providers.add_service"
    model = Service
    form_class = ServiceForm
    cancel_url = "providers:service_list"

    def get_title(self):
        return _("Add a service")


class ServiceUpdateView(RegisterFormView, UpdateView):
    permission_required = "providers.change_service"
    model = Service
    form_class = ServiceForm

    def get_title(self):
        return _("Edit %(object)s") % {"object": self.object}


class ServiceDeleteView(RegisterDeleteView):
    permission_required = "providers.delete_service"
    model = Service
    success_url = reverse_lazy("providers:service_list")
    protected_message = _("%(object)s is on contracts, so it cannot be deleted. Mark it inactive instead.")


# Commissioning teams -----------------------------------------------------------------


class TeamListView(RegisterListMixin, ListView):
    permission_required = "providers.view_commissioningteam"
    template_name = "register/list.html"
    table_class = TeamTable
    title = _("Commissioning teams")
    create_url = "providers:team_create"
    create_permission = "providers.add_commissioningteam"
    create_label = _("Add a team")

    def get_queryset(self):
        return selectors.team_list()


class TeamCreateView(RegisterFormView, CreateView):
    permission_required = "providers.add_commissioningteam"
    model = CommissioningTeam
    form_class = CommissioningTeamForm
    cancel_url = "providers:team_list"

    def get_title(self):
        return _("Add a commissioning team")


class TeamUpdateView(RegisterFormView, UpdateView):
    permission_required = "providers.change_commissioningteam"
    model = CommissioningTeam
    form_class = CommissioningTeamForm

    def get_title(self):
        return _("Edit %(object)s") % {"object": self.object}


class TeamDeleteView(RegisterDeleteView):
    permission_required = "providers.delete_commissioningteam"
    model = CommissioningTeam
    success_url = reverse_lazy("providers:team_list")
    protected_message = _("%(object)s has services or contracts, so it cannot be deleted. Mark it inactive instead.")


class SpreadsheetImportView(PermissionRequiredMixin, FormView):
    """Upload a file; preview every bad row with its line; save all or nothing.

    Subclasses set `importers`: {kind: (label, importer class, url name to go to after)}
    and may pass extra arguments to the importer (the user, the providers allowed).
    """

    template_name = "includes/import_page.html"
    form_class = SpreadsheetUploadForm
    importers = {}
    title = ""
    intro = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kind_choices"] = [(kind, label) for kind, (label, _cls, _url) in self.importers.items()]
        return kwargs

    def importer_kwargs(self, kind):
        return {}

    def after_import(self, result):
        """What to tell the user besides the summary (returns imports: the rating job)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"], context["intro"] = self.title, self.intro
        context["formats"] = [(label, cls.columns) for label, cls, _url in self.importers.values()]
        return context

    def form_valid(self, form):
        kind = form.cleaned_data["kind"]
        _label, importer_class, next_url = self.importers[kind]
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            result = importer_class(**self.importer_kwargs(kind)).run(upload.read(), upload.name, dry_run=dry_run)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        if result.ok and not dry_run:
            messages.success(self.request, result.summary())
            self.after_import(result)
            return redirect(reverse(next_url))
        return self.render_to_response(self.get_context_data(form=form, result=result, filename=upload.name))
