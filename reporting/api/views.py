"""The API's endpoints. Each asks for the same permissions as the page that shows the same
things, and limits rows by team through assurance.access, as the pages do; each use of a
token is audited (`ApiAuditMixin`)."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, generics, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from assurance import access
from assurance.models import (
    AreaRating,
    Indicator,
    IndicatorRating,
    IndicatorValue,
    MonthlyReturn,
    ProviderRating,
    RatingRun,
)
from assurance.services import StaleReturn
from contracts.models import Contract
from contracts.selectors import actual_months
from escalation.models import EscalationDecision, ProviderEscalation
from providers.importing import ImportFileError
from providers.models import CommissioningTeam, Provider
from providers.periods import format_period, month_start, parse_period

from .. import selectors, services
from ..choices import PackEventKind
from ..models import ApiToken, pack_file_stem
from ..selectors.finance import financial_position
from . import filters, serializers
from .permissions import HasPermissions
from .returns_in import json_to_returns_csv, returns_submit
from .tokens import api_token_used

VIEW_RATINGS = "assurance.view_providerrating"
VIEW_PROVIDERS = "providers.view_provider"


class ApiAuditMixin:
    """Every request made with a token leaves a row (ApiTokenUse) and the token's last use."""

    permission_classes = [HasPermissions]
    filter_backends = [DjangoFilterBackend]
    required_permissions: tuple = ()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        self._audit(request, response.status_code)
        return response

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Exception:
            self._audit(getattr(self, "request", None), 500)  # a failure is a use too
            raise

    @staticmethod
    def _audit(request, status_code):
        token = getattr(request, "_auth", None)  # set only once authentication has run
        if isinstance(token, ApiToken):
            api_token_used(
                token=token,
                method=request.method,
                path=request.get_full_path(),
                status_code=status_code,
                ip_address=request.META.get("REMOTE_ADDR"),
            )


class SchemaView(ApiAuditMixin, SpectacularAPIView):
    """The OpenAPI 3 schema: open to anyone (it describes the API, it holds no data)."""

    permission_classes = [AllowAny]


# The register ----------------------------------------------------------------------------------


class ProviderList(ApiAuditMixin, generics.ListAPIView):
    """Providers, by code. Filter by team, sector, country or escalation level."""

    required_permissions = (VIEW_PROVIDERS,)
    serializer_class = serializers.ProviderSerializer
    filterset_class = filters.ProviderFilter
    queryset = Provider.objects.select_related("escalation").order_by("code", "pk")


class ProviderDetail(ApiAuditMixin, generics.RetrieveAPIView):
    required_permissions = (VIEW_PROVIDERS,)
    serializer_class = serializers.ProviderSerializer
    queryset = Provider.objects.select_related("escalation")
    lookup_field = "code"
    filter_backends = []


CONTRACTS = (
    Contract.objects.select_related("provider", "commissioning_team")
    .prefetch_related("lines__service")
    .order_by("reference", "pk")
)


class ContractList(ApiAuditMixin, generics.ListAPIView):
    """Contracts with their lines (service, planned annual activity and cost)."""

    required_permissions = ("contracts.view_contract",)
    serializer_class = serializers.ContractSerializer
    filterset_class = filters.ContractFilter
    queryset = CONTRACTS


class ContractDetail(ApiAuditMixin, generics.RetrieveAPIView):
    required_permissions = ("contracts.view_contract",)
    serializer_class = serializers.ContractSerializer
    queryset = CONTRACTS
    filter_backends = []


INDICATORS = Indicator.objects.prefetch_related("services", "target_changes").order_by("code", "pk")


class IndicatorList(ApiAuditMixin, generics.ListAPIView):
    """The indicator catalogue, each with its changes of target from a month on (target history)."""

    required_permissions = ("assurance.view_indicator",)
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    queryset = INDICATORS


class IndicatorDetail(ApiAuditMixin, generics.RetrieveAPIView):
    required_permissions = ("assurance.view_indicator",)
    serializer_class = serializers.IndicatorSerializer
    queryset = INDICATORS
    lookup_field = "code"
    filter_backends = []


# Ratings ---------------------------------------------------------------------------------------


class RatingList(ApiAuditMixin, generics.ListAPIView):
    """The scorecard: one row per provider and month, oldest month first, then provider code.

    The five areas carry the rating that counts (a director's override, if any; `overridden`
    and `areas[].computed_rag` show both); a month whose return was not received has
    `received` false and no ratings ("No return", never Red). Read by everyone who reads the
    dashboard, the Joint Committee included; ratings come only from received returns.
    """

    required_permissions = (VIEW_RATINGS,)
    serializer_class = serializers.RatingSerializer
    filterset_class = filters.RatingFilter
    queryset = ProviderRating.objects.select_related("provider").order_by("period", "provider__code", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["areas"] = getattr(self, "_areas", {})
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        # The page's area ratings in one query (no per-row queries).
        self._areas = {}
        if rows:
            for area in AreaRating.objects.filter(
                provider_id__in={r.provider_id for r in rows}, period__in={r.period for r in rows}
            ):
                self._areas.setdefault((area.provider_id, area.period), {})[area.area] = area
        return page


class IndicatorRatingList(ApiAuditMixin, generics.ListAPIView):
    """Each indicator's RAG for a provider and month, with the METHODOLOGY 1 reason; from
    received returns only. Read by those who read the provider pages."""

    required_permissions = (VIEW_PROVIDERS, VIEW_RATINGS)
    serializer_class = serializers.IndicatorRatingSerializer
    filterset_class = filters.IndicatorRatingFilter
    queryset = IndicatorRating.objects.select_related("provider", "indicator").order_by(
        "period", "provider__code", "indicator__code", "pk"
    )


class RatingJobDetail(ApiAuditMixin, generics.RetrieveAPIView):
    """A rating job (after a write: `rating_job`): queued, running, done or failed with the reason."""

    required_permissions = ("assurance.view_ratingrun",)
    queryset = RatingRun.objects.all()
    filter_backends = []

    class RatingJobSerializer(serializers.serializers.ModelSerializer):
        class Meta:
            model = RatingRun
            fields = ["id", "status", "periods", "trigger", "requested_at", "finished_at", "failure_reason"]

    serializer_class = RatingJobSerializer


# Escalation --------------------------------------------------------------------------------------


class LevelList(ApiAuditMixin, generics.ListAPIView):
    """Each provider's current escalation level (METHODOLOGY 4), by provider code."""

    required_permissions = ("escalation.view_providerescalation",)
    serializer_class = serializers.EscalationLevelSerializer
    filterset_class = filters.LevelFilter
    queryset = ProviderEscalation.objects.select_related("provider").order_by("provider__code", "pk")


class DecisionList(ApiAuditMixin, generics.ListAPIView):
    """Every change of escalation level, oldest first: by rule or by a named person, with reasons."""

    required_permissions = ("escalation.view_escalationdecision",)
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter
    queryset = EscalationDecision.objects.select_related("provider", "decided_by").order_by("decided_at", "pk")


# The financial position (METHODOLOGY 9) ------------------------------------------------------------


class FinanceView(ApiAuditMixin, APIView):
    """The financial position at a month, year to date: the total and each provider, biggest cost
    variance (either way) first, as on the financial position page. `period` defaults to the
    latest month with actuals recorded; filter by team or provider (codes)."""

    required_permissions = ("contracts.view_lineactual",)
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description="The month, YYYY-MM."),
            OpenApiParameter("team", OpenApiTypes.STR, description="A commissioning team's code."),
            OpenApiParameter("provider", OpenApiTypes.STR, description="A provider's code."),
        ],
        responses={
            200: serializers.FinanceSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Each parameter at fault, with its messages."),
        },
    )
    def get(self, request):
        query = request.query_params
        if query.get("period"):
            try:
                month = parse_period(query["period"])
            except ValueError as exc:
                raise exceptions.ValidationError(
                    {"period": [_("Enter the month as YYYY-MM, for example 2026-04.")]}
                ) from exc
        else:
            recorded = actual_months(last=month_start(timezone.localdate()))
            month = recorded[-1] if recorded else month_start(timezone.localdate())
        team_ids = provider_ids = None
        if query.get("team"):
            team_ids = list(CommissioningTeam.objects.filter(code=query["team"]).values_list("pk", flat=True)) or [0]
        if query.get("provider"):
            provider_ids = list(Provider.objects.filter(code=query["provider"]).values_list("pk", flat=True)) or [0]
        position = financial_position(month, team_ids=team_ids, provider_ids=provider_ids)
        return Response(
            serializers.FinanceSerializer(
                {
                    "period": format_period(month),
                    "financial_year": str(position["year_label"]),
                    "total": position["total"],
                    "providers": position["providers"],
                }
            ).data
        )


# Committee packs ---------------------------------------------------------------------------------


class PackList(ApiAuditMixin, generics.ListAPIView):
    """The committee packs the reader may read (the Joint Committee: its own), newest first."""

    required_permissions = ("reporting.view_committeepack",)
    serializer_class = serializers.PackSerializer
    filterset_class = filters.PackFilter

    def get_queryset(self):
        return selectors.packs_visible_to(self.request.user).order_by("-period", "committee", "-pk")


class PackDetail(ApiAuditMixin, generics.RetrieveAPIView):
    required_permissions = ("reporting.view_committeepack",)
    serializer_class = serializers.PackSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.packs_visible_to(self.request.user)


class FirstRenderer(BaseContentNegotiation):
    """A file download answers whatever the client accepts (errors still come as JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PackDownload(ApiAuditMixin, APIView):
    """A ready pack's PDF or Excel workbook; the download is recorded, as on the pack's page."""

    required_permissions = ("reporting.view_committeepack",)
    content_negotiation_class = FirstRenderer
    filter_backends = []
    file_format = "pdf"
    media_types = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: serializers.ErrorSerializer})
    def get(self, request, pk):
        pack = selectors.packs_visible_to(request.user).filter(pk=pk).first()
        if pack is None or pack.status != pack.done_status:
            raise exceptions.NotFound(_("No ready pack has this number for you."))
        stored = pack.pdf if self.file_format == "pdf" else pack.xlsx
        try:
            handle = stored.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise exceptions.NotFound(_("The pack's file is missing; ask for the pack to be built again.")) from exc
        kind = PackEventKind.DOWNLOADED_PDF if self.file_format == "pdf" else PackEventKind.DOWNLOADED_XLSX
        services.pack_event_record(pack=pack, user=request.user, kind=kind)
        # As on the pack's page: the committee's code, and "-cy" for a Welsh pack (issue 18).
        name = f"{pack_file_stem(f'{pack.committee_id}-pack', pack.period, pack.language)}.{self.file_format}"
        response = FileResponse(handle, as_attachment=True, filename=name)
        response["Content-Type"] = self.media_types[self.file_format]
        return response


# Returns -------------------------------------------------------------------------------------------


class CsvParser(BaseParser):
    """A body in the returns.csv format (DESIGN.md), handed on as bytes."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read(settings.MAX_IMPORT_FILE_BYTES + 1) if stream is not None else b""


def _dry_run(request):
    return request.query_params.get("dry_run", "").strip().lower() in {"1", "true", "yes"}


class ReturnsView(ApiAuditMixin, generics.ListAPIView):
    """GET: providers' monthly returns with their values and version, as the reader may see them:
    a team member their teams' providers (drafts included); directors and administrators every
    provider's, with a draft's values withheld (null). POST: write returns (see the method)."""

    serializer_class = serializers.ReturnOutSerializer
    filterset_class = filters.ReturnFilter
    parser_classes = [JSONParser, CsvParser]

    @property
    def required_permissions(self):
        if self.request.method == "POST":
            return (access.ENTER_RETURN,)  # team members, for their teams' providers
        return (access.VIEW_RETURN,)

    def get_queryset(self):
        returns = MonthlyReturn.objects.select_related("provider").prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.select_related("indicator").order_by("indicator__code"))
        )
        return access.restrict(returns, self.request.user, access.VIEW_RETURN).order_by(
            "period", "provider__code", "pk"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["visible"] = getattr(self, "_visible", set())
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        user = self.request.user
        self._visible = {r.pk for r in (page or []) if access.can_view_return_values(user, r)}
        return page

    @extend_schema(
        request={"application/json": serializers.ReturnSetSerializer, "text/csv": OpenApiTypes.STR},
        parameters=[
            OpenApiParameter(
                "dry_run", OpenApiTypes.BOOL, description="true: check everything and report; save nothing."
            )
        ],
        responses={
            200: serializers.WriteResultSerializer,
            400: serializers.ErrorSerializer,
            409: serializers.StaleSerializer,
            413: serializers.ErrorSerializer,
            415: serializers.ErrorSerializer,
            422: serializers.WriteResultSerializer,
        },
    )
    def post(self, request):
        """Write one provider's month or many, all or nothing, as the upload does: the same checks and
        messages, locked months refused, values outside their usual range refused without a note in
        their row. Every problem is listed with its JSON pointer (JSON) or line (CSV). A `version`
        sent that is no longer the return's is refused (409). `?dry_run=true` saves nothing. After a
        write the ratings are recomputed (`rating_job`)."""
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.MAX_IMPORT_FILE_BYTES:
            return Response({"detail": _("The body is too large.")}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        body = request.data
        reason = _("Sent through the API (%(token)s)") % {
            "token": request.auth.name if isinstance(request.auth, ApiToken) else _("signed-in session")
        }
        pointers = versions = None
        if isinstance(body, bytes):
            if len(body) > settings.MAX_IMPORT_FILE_BYTES:
                return Response(
                    {"detail": _("The body is too large.")}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
                )
            data = body
        else:
            converted = json_to_returns_csv(body)
            if converted.problems:
                return self._outcome_response(
                    problems=[p.as_dict() for p in converted.problems], dry_run=_dry_run(request)
                )
            data, pointers, versions = converted.data, converted.pointers, converted.versions
        try:
            outcome = returns_submit(
                user=request.user,
                data=data,
                pointers=pointers,
                versions=versions,
                dry_run=_dry_run(request),
                reason=reason,
            )
        except ImportFileError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        except StaleReturn as exc:
            stale = exc.monthly_return
            return Response(
                {
                    "detail": _(
                        "Someone else changed this return since you read it: read it again (GET /api/v1/returns/) "
                        "and send your values with its new version."
                    ),
                    "provider": stale.provider.code,
                    "period": format_period(stale.period),
                    "version": stale.version,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            {
                "ok": outcome.ok,
                "dry_run": outcome.dry_run,
                "rows": outcome.rows,
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "problems": [p.as_dict() for p in outcome.problems],
                "flagged": outcome.flagged,
                "rating_job": outcome.rating_job,
            },
            status=status.HTTP_200_OK if outcome.ok else status.HTTP_422_UNPROCESSABLE_ENTITY,
        )

    @staticmethod
    def _outcome_response(*, problems, dry_run):
        return Response(
            {
                "ok": False,
                "dry_run": dry_run,
                "rows": 0,
                "created": 0,
                "updated": 0,
                "unchanged": 0,
                "problems": problems,
                "flagged": [],
                "rating_job": None,
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
