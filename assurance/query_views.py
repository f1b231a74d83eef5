"""Queries on a return's values and sending a return back for correction (issue 17).

Each view checks on the server (assurance.access), calls one service (assurance.queries) and
goes back to the return page, where the queries are shown (`queries_context`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from providers.models import Provider
from providers.periods import parse_period
from providers.roles import DIRECTOR

from . import queries
from .access import can_enter_return, can_query_return, can_send_back_return, can_view_return
from .models import Indicator, MonthlyReturn, ValueQuery


def _return(request, code, period, *, may_on_provider):
    """The return, or None when none is saved for the month yet (the reader, if allowed, is told
    on the return page); PermissionDenied for anyone refused, before anything is said of it."""
    provider = get_object_or_404(Provider, code=code)
    try:
        month = parse_period(period)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    monthly_return = MonthlyReturn.objects.filter(provider=provider, period=month).select_related("provider").first()
    if monthly_return is None:
        if not may_on_provider(request.user, provider):
            raise PermissionDenied
        messages.error(request, _("Nothing has been saved on this return yet, so there is nothing to query."))
    return monthly_return


def _entry(code, period):
    return redirect(reverse("assurance:return_entry", args=[code, period]))


def _may_query_provider(user, provider):
    return can_enter_return(user, provider) or (user.has_role(DIRECTOR) and can_view_return(user, provider))


def _may_send_back_provider(user, provider):
    return user.has_role(DIRECTOR) and can_view_return(user, provider)


def _back(monthly_return, anchor="queries"):
    return redirect(f"{monthly_return.get_absolute_url()}#{anchor}")


def queries_context(user, monthly_return, indicators):
    """What the return page shows of queries and send-backs, and what the reader may do there."""
    if monthly_return is None:
        return {"queries": [], "can_query": False, "can_send_back": False, "send_backs": []}
    may_query = can_query_return(user, monthly_return)
    return {
        "queries": list(
            monthly_return.queries.select_related("indicator", "raised_by", "closed_by").prefetch_related(
                "comments__author"
            )
        )
        if may_query
        else [],
        "can_query": may_query,
        "query_indicators": indicators,
        "can_send_back": can_send_back_return(user, monthly_return),
        "send_backs": list(monthly_return.send_backs.select_related("sent_by")) if may_query else [],
    }


@require_POST
@login_required
def query_raise(request, code, period):
    monthly_return = _return(request, code, period, may_on_provider=_may_query_provider)
    if monthly_return is None:
        return _entry(code, period)
    if not can_query_return(request.user, monthly_return):
        raise PermissionDenied
    indicator = get_object_or_404(Indicator, pk=request.POST.get("indicator") or 0)
    try:
        queries.query_raise(
            monthly_return=monthly_return,
            indicator=indicator,
            user=request.user,
            text=request.POST.get("text", ""),
            follow_up=bool(request.POST.get("follow_up")),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Your query on %(indicator)s has been sent to the team.") % {"indicator": indicator.name}
        )
    return _back(monthly_return)


@require_POST
@login_required
def query_answer(request, code, period, pk):
    """A comment on the query's thread, or (with the Close button) its last word and closing."""
    monthly_return = _return(request, code, period, may_on_provider=_may_query_provider)
    if monthly_return is None:
        return _entry(code, period)
    if not can_query_return(request.user, monthly_return):
        raise PermissionDenied
    query = get_object_or_404(ValueQuery, pk=pk, monthly_return=monthly_return)
    text = request.POST.get("text", "")
    try:
        if "close" in request.POST:
            queries.query_close(query=query, user=request.user, text=text)
            messages.success(request, _("The query on %(indicator)s is closed.") % {"indicator": query.indicator.name})
        else:
            queries.query_reply(query=query, user=request.user, text=text)
            messages.success(request, _("Your reply has been added."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(monthly_return, f"query-{query.pk}")


@require_POST
@login_required
def return_send_back(request, code, period):
    monthly_return = _return(request, code, period, may_on_provider=_may_send_back_provider)
    if monthly_return is None:
        return _entry(code, period)
    if not can_send_back_return(request.user, monthly_return):
        raise PermissionDenied
    try:
        queries.return_send_back(
            monthly_return=monthly_return, user=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(monthly_return, "send-back")
    messages.success(
        request,
        _("The return for %(provider)s, %(month)s has been sent back to the team for correction.")
        % {"provider": monthly_return.provider.name, "month": date_format(monthly_return.period, "F Y")},
    )
    return _back(monthly_return, "send-back")
