"""The RAG dashboard, the provider page, highlight reports and committee packs."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, ListView, UpdateView

from assurance import access, rating_versions
from assurance.choices import Area, Polarity
from assurance.models import Indicator
from assurance.selectors import show_targets_in_force, unresolved_failed_run
from contracts.choices import Level
from contracts.selectors import provider_contracts, provider_services
from escalation import selectors as escalation
from providers.choices import Country, Sector
from providers.models import CommissioningTeam, Provider
from providers.periods import deadline, format_period, months_from, parse_period, shift
from providers.selectors import provider_history
from providers.views import RegisterFormView, RegisterListMixin

from . import selectors, services, spc
from .choices import PackEventKind, PackStatus
from .forms import CommitteeForm, HighlightReportForm, PackRequestForm
from .models import Committee, HighlightReport, pack_file_stem
from .selectors.finance import provider_finance, provider_position
from .tables import CommitteeTable


def scorecard_rows_html(request, scorecard):
    """The scorecard's rows, rendered, kept in the cache under the page's `rows_key` (what they are
    read from, the filters, page and order), the reader's language and whether they may follow the
    providers' links: a second look at the same page builds none of them."""
    can_link = request.user.has_perm("providers.view_provider")

    def render_rows():
        return render_to_string(
            "reporting/includes/scorecard_rows.html", {"rows": scorecard["rows"], "can_link": can_link}
        )

    if scorecard["rows_key"] is None:
        return render_rows()
    return rating_versions.remember(f"scorecard-rows:{scorecard['rows_key']}:{can_link}:{get_language()}", render_rows)


STEP_UPS_SHOWN = 50  # the rest are one click away, in the scorecard filtered to "Changed since last month"


def step_ups_html(request, period):
    """The month's changes of escalation level, rendered, kept until the month is re-rated, a
    decision is recorded or the register changes (as selectors.step_ups)."""
    can_link = request.user.has_perm("providers.view_provider")

    def render_list():
        changes = selectors.step_ups(period)
        return render_to_string(
            "reporting/includes/step_ups.html",
            {
                "step_ups": changes[:STEP_UPS_SHOWN],
                "more": max(0, len(changes) - STEP_UPS_SHOWN),
                "changed_url": f"{reverse('reporting:dashboard')}?period={format_period(period)}&changed=1",
                "can_link": can_link,
            },
        )

    key = f"step-ups-html:{rating_versions.version(period)}:{rating_versions.register_version()}"
    return rating_versions.remember(f"{key}:{can_link}:{get_language()}", render_list)


@require_GET
@login_required
@permission_required("assurance.view_providerrating", raise_exception=True)
def dashboard(request):
    """The scorecard: the query string is the FilterSet's (reporting/filters.py)."""
    months = selectors.rated_months()
    today = timezone.localdate()
    scorecard = selectors.scorecard_page(
        request.GET, today, newest=months[0] if months else None, page=request.GET.get("page")
    )
    if scorecard is None:
        return render(request, "reporting/dashboard.html", {"empty": True})
    period, filterset = scorecard["period"], scorecard["filterset"]
    due = deadline(period)
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("page", None)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "period": period,
            "period_text": format_period(period),
            "previous": shift(period, -1),
            "months": [(format_period(m), m) for m in months],
            "rows": scorecard["rows"],
            "rows_html": scorecard_rows_html(request, scorecard),
            "step_ups_html": step_ups_html(request, period),
            "page_obj": scorecard["page_obj"],
            "total": scorecard["total"],
            "counts": scorecard["counts"],
            "no_returns": scorecard["no_returns"],
            "level_counts": [(n, scorecard["counts"][n], scorecard["no_return_counts"][n]) for n in Level.values],
            # Returns may still arrive (and ratings change) until the month's collection deadline has passed.
            "provisional": today <= due,
            "deadline": due,
            "areas": [(a, label) for a, label in Area.choices if a != Area.ACCESS],
            "teams": CommissioningTeam.objects.filter(active=True),
            "sectors": Sector.choices,
            "countries": Country.choices,
            "filters": filterset.selected(),
            "sort": filterset.order,
            "sort_query": query.urlencode(),
            "step_ups": SimpleLazyObject(lambda: selectors.step_ups(period)),
            "failed_run": unresolved_failed_run() if request.user.has_perm("assurance.view_ratingrun") else None,
        },
    )


# The provider page ---------------------------------------------------------------------------


def two_places(value):
    """A chart's value as the template filter `floatformat:"-2"` writes it (34, 34.50), without
    the filter's cost: the data tables hold about a thousand values on a provider page."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return str(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def data_table_rows(months, values, specials):
    """The rows of a chart's data table (month, value, special cause), built in one go: the text
    alternative to the chart, escaped as a template would."""
    yes = _("Yes")
    return format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (month, two_places(value), yes if special else "—")
            for month, value, special in zip(months, values, specials, strict=True)
        ),
    )


def indicator_figures(provider, latest, data):
    """An SPC chart per numeric indicator reported in the 24 months, as a compact series the
    browser draws when it scrolls into view (static/js/spc-charts.mjs), with its data table."""
    from . import charts  # noqa: PLC0415 - charts loads pandas (heavy): only when a provider page draws its charts

    figures = []
    if not data["values"]:
        return figures
    indicators = Indicator.objects.in_bulk(list(data["values"]))
    show_targets_in_force(list(indicators.values()), latest)  # the target line: the one in force now
    months = {p: charts.month_label(p) for p in data["periods"]}  # each month named once for the page
    for indicator_id, points in data["values"].items():
        indicator = indicators[indicator_id]
        series, chart, variation, assurance = charts.indicator_series(
            points,
            target=indicator.target,
            amber=indicator.amber_threshold,
            higher_is_better=indicator.polarity == Polarity.HIGHER_BETTER,
            trajectory=data["trajectories"].get(indicator_id, ()),
            label=months.__getitem__,
        )
        series.update(title=indicator.name, unit=str(indicator.get_unit_display()))
        figures.append(
            {
                "indicator": indicator,
                "id": f"chart-{indicator.pk}",
                "series": series,
                "variation": variation,
                "variation_meaning": spc.VARIATION_MEANING[variation],
                "assurance": assurance,
                "assurance_meaning": spc.ASSURANCE_MEANING.get(assurance, ""),
                "table": list(zip([months[p] for p, _v in points], chart.values, chart.special, strict=True)),
                "table_rows": data_table_rows([months[p] for p, _v in points], chart.values, chart.special),
                "chart": chart,
            }
        )
    figures.sort(key=lambda f: (f["indicator"].area, f["indicator"].name))
    return figures


def spc_series(figures):
    """Every chart's compact series in one JSON block for the page (json_script "spc-series")."""
    from . import charts  # noqa: PLC0415 - charts loads pandas (heavy): only when a provider page draws its charts

    return {"labels": charts.series_labels(), "charts": {f["id"]: f["series"] for f in figures}}


def provider_indicators(provider, latest):
    """The provider page's 24-month strip of area ratings and its indicators' charts with their data
    tables, rendered. Both are read only from the provider's ratings, its received returns' values,
    its trajectories and the catalogue's targets, so they are kept in the cache until any month is
    re-rated or a value saved (the ratings' version of all months), or a trajectory, target or
    register entry changes (the register's version), in the reader's language.

    `figures` and `spc_series` are built only when read (the rendering reads them on a miss)."""
    data = SimpleLazyObject(lambda: selectors.provider_performance(provider, latest))
    figures = SimpleLazyObject(lambda: indicator_figures(provider, latest, data))
    series = SimpleLazyObject(lambda: spc_series(figures))

    def render_parts():
        return {
            "strip": render_to_string("reporting/includes/area_strip.html", {**data, "latest": latest}),
            "charts": render_to_string(
                "reporting/includes/indicator_charts.html", {"figures": figures, "spc_series": spc_series(figures)}
            ),
            "has_charts": bool(figures),
        }

    key = ":".join(
        [
            "provider-indicators",
            str(provider.pk),
            latest.isoformat(),
            rating_versions.version(None),
            rating_versions.register_version(),
            get_language(),
        ]
    )
    return {"indicators": rating_versions.remember(key, render_parts), "figures": figures, "spc_series": series}


@require_GET
@login_required
@permission_required("providers.view_provider", raise_exception=True)
def provider_detail(request, code):
    """Everything about one provider: register facts, level and decisions, the 24-month strip,
    an SPC chart per indicator, contracts, action plans, meetings, risks and overrides."""
    provider = get_object_or_404(Provider, code=code)
    context = {
        "provider": provider,
        "contracts": provider_contracts(provider),
        "services": provider_services(provider),
        "history": provider_history(provider),
    }
    if request.user.has_perm("contracts.view_lineactual"):  # METHODOLOGY 9: the provider's position
        context.update(provider_finance(provider, timezone.localdate()), finance_link=True)
    if request.user.has_perm("assurance.view_providerrating"):
        context.update(escalation.escalation_summary(provider))
        context.update(escalation.provider_records(provider, timezone.localdate()))
        context["can_record"] = access.can_record(request.user, provider)
        context["can_read_highlight"] = access.can_read_highlight(request.user, provider)
        context["can_view_intelligence"] = access.can(request.user, "escalation.view_intelligenceentry", provider)
        context["can_record_intelligence"] = access.can(request.user, "escalation.add_intelligenceentry", provider)
        if context["latest"] is not None:
            context.update(provider_indicators(provider, context["latest"]))
        context["show_assurance"] = True
    return render(request, "reporting/provider_detail.html", context)


# Highlight reports ------------------------------------------------------------------------------


def period_or_404(text):
    try:
        return parse_period(text)
    except ValueError as exc:
        raise Http404(str(exc)) from exc


@require_GET
@login_required
def highlight_latest(request, code):
    provider = get_object_or_404(Provider, code=code)
    access.highlight_access(request.user, provider)  # refuses those who may not read it
    if request.GET.get("month"):  # the month picker
        return redirect(
            "reporting:highlight_report", code=provider.code, period=format_period(period_or_404(request.GET["month"]))
        )
    months = selectors.rated_months(provider)
    if not months:
        messages.info(
            request,
            _("%(provider)s has not been rated yet, so there is no highlight report.") % {"provider": provider.name},
        )
        return redirect(provider.get_absolute_url())
    return redirect("reporting:highlight_report", code=provider.code, period=format_period(months[0]))


@require_GET
@login_required
def highlight_report(request, code, period):
    provider = get_object_or_404(Provider, code=code)
    period = period_or_404(period)
    can_edit = access.highlight_access(request.user, provider)
    months = selectors.rated_months(provider)
    context = {
        "provider": provider,
        "period": period,
        "period_text": format_period(period),
        "can_edit": can_edit,
        "months": [(format_period(m), m) for m in months],
        **selectors.highlight(provider, period),
        # METHODOLOGY 9: the provider's financial position at the report's month
        "finance": provider_position(provider, period),
        "finance_month": period,
        "show_finance": True,
    }
    return render(request, "reporting/highlight_report.html", context)


@login_required
def highlight_edit(request, code, period):
    provider = get_object_or_404(Provider, code=code)
    period = period_or_404(period)
    if not access.highlight_access(request.user, provider):
        raise PermissionDenied
    report = HighlightReport.objects.filter(provider=provider, period=period).first()
    initial = {
        "commentary": report.commentary if report else "",
        "governance": report.governance if report else "",
        "version": report.version if report else 0,
    }
    form = HighlightReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.highlight_report_save(
                provider=provider,
                period=period,
                user=request.user,
                version=form.cleaned_data["version"],
                commentary=form.cleaned_data["commentary"],
                governance=form.cleaned_data["governance"],
            )
        except services.StaleReport:
            form.add_error(
                None,
                _(
                    "Someone else saved this report after you opened it. Your text is still "
                    "below: copy what you need, then reload the page to see their changes."
                ),
            )
        else:
            messages.success(
                request,
                _("The highlight report for %(provider)s, %(month)s, has been saved.")
                % {"provider": provider.name, "month": date_format(period, "F Y")},
            )
            return redirect("reporting:highlight_report", code=provider.code, period=format_period(period))
    return render(
        request,
        "reporting/highlight_edit.html",
        {
            "provider": provider,
            "period": period,
            "form": form,
            "report": report,
            "cancel_url": reverse("reporting:highlight_report", args=[provider.code, format_period(period)]),
        },
    )


# Committee packs ---------------------------------------------------------------------------------


def archive_page(request, committee, form):
    committees = selectors.committees_visible_to(request.user)
    if committee is None:
        return render(request, "reporting/pack_archive.html", {"committees": [], "committee": None})
    page = Paginator(selectors.packs_visible_to(request.user).filter(committee=committee), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reporting/pack_archive.html",
        {
            "committees": committees,
            "committee": committee,
            "committee_label": dict(committees)[committee.code],
            "page_obj": page,
            "form": form,
        },
    )


def pack_request_form(request, data=None, committee=None):
    """The form to ask for a pack, for those who may: the committees in use whose packs they may read."""
    if not request.user.has_perm("reporting.add_committeepack"):
        return None
    return PackRequestForm(
        data,
        committees=selectors.committees_visible_to(request.user, active_only=True),
        months=selectors.rated_months()[:24],
        initial={"committee": committee.code if committee else None},
    )


def chosen_committee(request, code):
    """The committee asked for if the reader may read its packs, else the first they may (None: none)."""
    readable = selectors.committees_readable_by(request.user)
    committee = readable.filter(code=code).first() if code else None
    return committee or readable.first()


@require_GET
@login_required
@permission_required("reporting.view_committeepack", raise_exception=True)
def pack_archive(request):
    """The packs of one committee, newest first, and (for directors) the form to ask for one."""
    committee = chosen_committee(request, request.GET.get("committee"))
    return archive_page(request, committee, pack_request_form(request, committee=committee))


@require_POST
@login_required
@permission_required("reporting.add_committeepack", raise_exception=True)
def pack_request(request):
    form = pack_request_form(request, request.POST)
    if not form.is_valid():
        return archive_page(request, chosen_committee(request, request.POST.get("committee")), form)
    pack = services.pack_request(
        committee=form.cleaned_data["committee"],
        period=form.cleaned_data["period"],
        user=request.user,
        language=form.cleaned_data["language"] or None,
    )  # None: the reader's
    messages.success(request, _("The %(pack)s pack has been asked for. This page shows its progress.") % {"pack": pack})
    return redirect(pack)


def visible_pack_or_404(user, pk):
    return get_object_or_404(selectors.packs_visible_to(user), pk=pk)


@require_GET
@login_required
@permission_required("reporting.view_committeepack", raise_exception=True)
def pack_detail(request, pk):
    pack = visible_pack_or_404(request.user, pk)
    services.pack_event_record(pack=pack, user=request.user, kind=PackEventKind.VIEWED)
    events = None
    if request.user.has_perm("reporting.add_committeepack"):  # who read it: for directors and administrators
        events = pack.events.select_related("user")[:100]
    return render(
        request,
        "reporting/pack_detail.html",
        {"pack": pack, "events": events, "months": months_from(pack.period_from, pack.period)},
    )


@require_GET
@login_required
@permission_required("reporting.view_committeepack", raise_exception=True)
def pack_status(request, pk):
    """The pack's progress as JSON, for the page to follow a build without reloading."""
    pack = visible_pack_or_404(request.user, pk)
    return JsonResponse(
        {
            "status": pack.status,
            "label": str(pack.get_status_display()),
            "reason": pack.reader_reason,  # plain words: the exception is for the log, never for readers
            "in_progress": pack.in_progress,
        }
    )


@require_GET
@login_required
@permission_required("reporting.view_committeepack", raise_exception=True)
def pack_download(request, pk, file_format):
    pack = visible_pack_or_404(request.user, pk)
    if pack.status != PackStatus.READY:
        raise Http404(_("This pack is not ready yet."))
    stored = pack.pdf if file_format == "pdf" else pack.xlsx
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("The pack's file is missing; ask for the pack to be built again.")) from exc
    services.pack_event_record(
        pack=pack,
        user=request.user,
        kind=(PackEventKind.DOWNLOADED_PDF if file_format == "pdf" else PackEventKind.DOWNLOADED_XLSX),
    )
    # An English and a Welsh pack of the same month have different names (the Welsh ends "-cy").
    name = f"{pack_file_stem(f'{pack.committee_id}-pack', pack.period, pack.language)}.{file_format}"
    return FileResponse(handle, as_attachment=True, filename=name)


# Committees (administrators) ---------------------------------------------------------------------


class CommitteeListView(RegisterListMixin, ListView):
    """The committees that receive packs, for administrators to keep (METHODOLOGY 6)."""

    permission_required = "reporting.view_committee"
    table_class = CommitteeTable
    title = _("Committees")
    create_url = "reporting:committee_create"
    create_permission = "reporting.add_committee"
    create_label = _("Add a committee")

    def get_queryset(self):
        return Committee.objects.prefetch_related("readers")


class CommitteeSaveMixin(RegisterFormView):
    cancel_url = "reporting:committee_list"

    def get_cancel_url(self):
        return self.cancel_url

    def get_success_url(self):
        return reverse("reporting:committee_list")

    def form_valid(self, form):
        form.instance._history_user = self.request.user
        return super().form_valid(form)


class CommitteeCreateView(CommitteeSaveMixin, CreateView):
    permission_required = "reporting.add_committee"
    model = Committee
    form_class = CommitteeForm

    def get_title(self):
        return _("Add a committee")

    def get_success_message(self, cleaned_data):
        return _("%(committee)s has been added. Directors can now ask for its packs.") % {"committee": self.object}


class CommitteeUpdateView(CommitteeSaveMixin, UpdateView):
    permission_required = "reporting.change_committee"
    model = Committee
    form_class = CommitteeForm

    def get_title(self):
        return _("Edit %(object)s") % {"object": self.object}

    def get_success_message(self, cleaned_data):
        return _("%(committee)s has been saved. Its next pack follows the new settings.") % {"committee": self.object}
