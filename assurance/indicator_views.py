"""The indicator catalogue and each indicator's targets over time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import CreateView, UpdateView

from providers.periods import format_period
from providers.views import RegisterFormView, RegisterListView

from .filters import IndicatorFilter
from .forms import IndicatorForm, TargetChangeForm
from .models import Indicator
from .tables import IndicatorTable
from .targets import number_text, target_change_add, target_timeline, with_target_in_force
from .views import rating_notice


class IndicatorListView(RegisterListView):
    permission_required = "assurance.view_indicator"
    filterset_class = IndicatorFilter
    table_class = IndicatorTable
    title = _lazy("Indicator catalogue")
    create_url = "assurance:indicator_create"
    create_permission = "assurance.add_indicator"
    create_label = _lazy("Add an indicator")
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return with_target_in_force(Indicator.objects.all(), timezone.localdate().replace(day=1))


class IndicatorCreateView(RegisterFormView, CreateView):
    permission_required = "assurance.add_indicator"
    model = Indicator
    form_class = IndicatorForm
    cancel_url = "assurance:indicator_list"

    def get_title(self):
        return _("Add an indicator")


class IndicatorUpdateView(RegisterFormView, UpdateView):
    """Edit an indicator; below the form, its "Targets over time" (METHODOLOGY)."""

    permission_required = "assurance.change_indicator"
    model = Indicator
    form_class = IndicatorForm
    cancel_url = "assurance:indicator_list"
    template_name = "assurance/indicator_form.html"

    def get_title(self):
        return _("Edit %(object)s") % {"object": self.object}

    def get_cancel_url(self):
        return self.cancel_url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The indicator as saved, not as the form holds it while it is being corrected.
        saved = Indicator.objects.get(pk=self.object.pk)
        context["indicator"] = saved
        context["timeline"] = None if saved.judgement else target_timeline(saved)
        context["can_change_targets"] = self.request.user.has_perm(INDICATOR_TARGET_PERMISSION)
        return context


# Whoever may change indicators may change their targets from a month on.
INDICATOR_TARGET_PERMISSION = "assurance.change_indicator"


@login_required
@permission_required(INDICATOR_TARGET_PERMISSION, raise_exception=True)
def indicator_target_create(request, pk):
    """Change an indicator's target and amber threshold from a month on; the months from
    then on are recomputed (METHODOLOGY, "Targets change over time")."""
    indicator = get_object_or_404(Indicator, pk=pk, judgement=False)  # a judgement indicator has no target
    form = TargetChangeForm(request.POST if request.method == "POST" else None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change, run, locked = target_change_add(
            indicator=indicator,
            from_period=data["from_period"],
            target=data["target"],
            amber_threshold=data["amber_threshold"],
            user=request.user,
        )
        values = {
            "period": format_period(change.from_period),
            "indicator": indicator.name,
            "target": number_text(change.target),
            "amber": number_text(change.amber_threshold),
        }
        if change.amber_threshold is None:
            messages.success(
                request,
                _("From %(period)s the target of %(indicator)s is %(target)s, with no amber threshold.") % values,
            )
        else:
            messages.success(
                request,
                _("From %(period)s the target of %(indicator)s is %(target)s, with an amber threshold of %(amber)s.")
                % values,
            )
        if locked:
            messages.info(
                request,
                _("These months are locked, so their signed-off ratings stay as they are: %(months)s.")
                % {"months": ", ".join(format_period(month) for month in locked)},
            )
        rating_notice(request, run)
        return redirect("assurance:indicator_update", pk=indicator.pk)
    return render(
        request,
        "assurance/target_change_form.html",
        {
            "form": form,
            "indicator": indicator,
            "title": _("Change the target of %(indicator)s") % {"indicator": indicator.name},
            "cancel_url": reverse("assurance:indicator_update", args=[indicator.pk]),
        },
    )
