"""The assurance framework: indicator catalogue, monthly returns and values, trajectories."""

import os
import socket

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from providers.models import Provider, Service, TimeStampedModel, register_code_validator
from providers.periods import format_period

from .choices import (
    Area,
    Cohort,
    Domain,
    IndicatorSource,
    JobStatus,
    Polarity,
    Rag,
    ReturnStatus,
    Setting,
    Unit,
    ValueStatus,
)


class Indicator(TimeStampedModel):
    """A measure providers report monthly, rated against its target (METHODOLOGY 1)."""

    code = models.CharField(
        _("code"),
        max_length=60,
        unique=True,
        validators=[register_code_validator],
        error_messages={"unique": _("An indicator with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    area = models.CharField(_("key area"), max_length=30, choices=Area.choices)
    setting = models.CharField(
        _("setting"),
        max_length=20,
        choices=Setting.choices,
        blank=True,
        help_text=_("Access indicators only: unscheduled (USC) or planned care."),
    )
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    cohort = models.CharField(_("patient cohort"), max_length=20, choices=Cohort.choices, blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    polarity = models.CharField(_("polarity"), max_length=20, choices=Polarity.choices, default=Polarity.HIGHER_BETTER)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    amber_threshold = models.DecimalField(
        _("amber threshold"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("A second value beyond the target: a miss no worse than this is Amber."),
    )
    critical = models.BooleanField(
        _("critical"), default=False, help_text=_("A Red on this indicator turns its whole area Red.")
    )
    judgement = models.BooleanField(
        _("judgement indicator"),
        default=False,
        help_text=_("Rated Red, Amber or Green by a person each month, with commentary, not a number."),
    )
    services = models.ManyToManyField(
        Service,
        verbose_name=_("services"),
        blank=True,
        related_name="indicators",
        help_text=_("Leave empty if every provider reports it."),
    )
    data_source = models.CharField(_("data source"), max_length=255, blank=True)
    source = models.CharField(
        _("value comes from"),
        max_length=30,
        choices=IndicatorSource.choices,
        blank=True,
        default="",
        help_text=_("Derived indicators take their value from contract actuals against plan, never from returns."),
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[services])

    class Meta:
        ordering = ["area", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assurance:indicator_list")

    @property
    def derived(self):
        """Whether the value is derived from contract actuals (METHODOLOGY 9), never typed."""
        return bool(self.source)

    def save(self, *args, **kwargs):
        # selectors.show_targets_in_force sets a month's target on an instance for display only.
        if hasattr(self, "own_target"):
            raise RuntimeError("This indicator shows a month's target in force; reload it before saving.")
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.setting and self.area != Area.ACCESS:
            errors["setting"] = _("Only Access indicators have a setting.")
        if self.area == Area.ACCESS and not self.setting:
            errors["setting"] = _("Say whether this Access indicator is unscheduled or planned care.")
        if self.judgement and (self.target is not None or self.amber_threshold is not None):
            errors["target"] = _("A judgement indicator is rated by a person, so it has no target.")
        if not self.judgement and self.target is None:
            errors["target"] = _("Enter the target, or mark the indicator as a judgement indicator.")
        if self.amber_threshold is not None and self.target is not None:
            wrong_side = (
                self.amber_threshold > self.target
                if self.polarity == Polarity.HIGHER_BETTER
                else self.amber_threshold < self.target
            )
            if wrong_side:
                errors["amber_threshold"] = _(
                    "The amber threshold must be on the far side of the target "
                    "(below it when higher is better, above it when lower is better)."
                )
        if errors:
            raise ValidationError(errors)


class IndicatorTarget(TimeStampedModel):
    """A change of an indicator's target and amber threshold from a month on (targets.csv).

    The indicator's own target and amber threshold hold until its first change; a month is
    always rated against the values in force that month (METHODOLOGY, "Targets change over time").
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="target_changes"
    )
    from_period = models.DateField(_("from month"))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    amber_threshold = models.DecimalField(
        _("amber threshold"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Leave blank for no amber threshold from this month."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code", "from_period"]
        verbose_name = _("target change")
        verbose_name_plural = _("target changes")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "from_period"], name="one_target_change_per_month"),
            models.CheckConstraint(condition=Q(from_period__day=1), name="target_change_is_first_of_month"),
        ]

    def __str__(self):
        return f"{self.indicator.code} from {format_period(self.from_period)}: {self.target}"


class MonthlyReturn(TimeStampedModel):
    """One provider's data for one month: drafted, submitted, then locked after sign-off."""

    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="returns")
    period = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Optimistic locking: a save carries the version it was read at (two editors at once).
    version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "provider__name"]
        verbose_name = _("monthly return")
        verbose_name_plural = _("monthly returns")
        permissions = [
            ("enter_return", _("Can enter and submit returns for their teams' providers")),
            ("lock_period", _("Can lock a month after committee sign-off")),
            ("unlock_period", _("Can unlock a month, with a reason")),
            ("import_returns", _("Can upload returns and trajectories from a spreadsheet")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["provider", "period"], name="one_return_per_provider_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="return_period_is_first_of_month"),
        ]
        # A month's returns (the overview, the rating, when collection began) are read by month.
        indexes = [models.Index(fields=["period", "status"], name="return_period_status")]

    def __str__(self):
        return f"{self.provider.name}, {format_period(self.period)}"

    def get_absolute_url(self):
        return reverse("assurance:return_entry", args=[self.provider.code, format_period(self.period)])


class IndicatorValue(TimeStampedModel):
    """One indicator's result in a monthly return."""

    monthly_return = models.ForeignKey(
        MonthlyReturn, verbose_name=_("return"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    status = models.CharField(_("status"), max_length=20, choices=ValueStatus.choices, default=ValueStatus.REPORTED)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True, blank=True)
    rag = models.CharField(_("RAG"), max_length=1, choices=Rag.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__area", "indicator__code"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["monthly_return", "indicator"], name="one_value_per_indicator"),
            models.CheckConstraint(condition=Q(rag__in=["", "G", "A", "R"]), name="value_rag_is_g_a_r"),
        ]

    def __str__(self):
        return f"{self.indicator.code}: {self.value if self.value is not None else self.rag or self.status}"


class Trajectory(TimeStampedModel):
    """An agreed improvement trajectory: the value a provider should reach in a month."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="trajectories"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="trajectories"
    )
    period = models.DateField(_("month"))
    value = models.DecimalField(_("agreed value"), max_digits=16, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        ordering = ["provider__name", "indicator__code", "period"]
        verbose_name = _("improvement trajectory")
        verbose_name_plural = _("improvement trajectories")
        constraints = [
            models.UniqueConstraint(fields=["provider", "indicator", "period"], name="one_trajectory_point_per_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="trajectory_period_is_first_of_month"),
        ]

    def __str__(self):
        return f"{self.provider.code} {self.indicator.code} {format_period(self.period)}: {self.value}"


class PeriodLock(TimeStampedModel):
    """A month locked after committee sign-off: no edits or imports until unlocked with a reason."""

    period = models.DateField(_("month"), unique=True)
    locked = models.BooleanField(_("locked"), default=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("period lock")
        verbose_name_plural = _("period locks")

    def __str__(self):
        return format_period(self.period)


class PeriodLockEvent(models.Model):
    """Each lock and unlock, with who, when and (for an unlock) why."""

    class Action(models.TextChoices):
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")

    period_lock = models.ForeignKey(PeriodLock, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_action_display()} {self.period_lock} by {self.user}"


# Ratings: computed by assurance.ratings from the returns; one set per provider and month.


class IndicatorRating(models.Model):
    """An indicator's RAG for a provider and month, with the METHODOLOGY 1 reason code."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="indicator_ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="ratings")
    period = models.DateField(_("month"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True, blank=True)
    rag = models.CharField(_("RAG"), max_length=1, choices=Rag.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=20)

    class Meta:
        verbose_name = _("indicator rating")
        constraints = [models.UniqueConstraint(fields=["provider", "indicator", "period"], name="one_indicator_rating")]
        indexes = [models.Index(fields=["period", "provider"])]

    def __str__(self):
        return f"{self.provider_id} {self.indicator_id} {format_period(self.period)}: {self.rag or '-'}"


class AreaOverride(models.Model):
    """A director's override of an area's RAG for a month, with the rationale. Kept, never edited."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="area_overrides")
    period = models.DateField(_("month"))
    area = models.CharField(_("key area"), max_length=30, choices=Area.choices)
    rag = models.CharField(_("overriding RAG"), max_length=1, choices=Rag.choices)
    computed_rag = models.CharField(_("computed RAG at the time"), max_length=1, choices=Rag.choices, blank=True)
    rationale = models.TextField(_("rationale"))
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    overridden_at = models.DateTimeField(_("when"), auto_now_add=True)
    active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["-overridden_at"]
        verbose_name = _("area override")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "period", "area"], condition=Q(active=True), name="one_active_override"
            )
        ]

    def __str__(self):
        return f"{self.provider_id} {format_period(self.period)} {self.area}: {self.rag}"


class AreaRating(models.Model):
    """A key area's RAG for a provider and month: computed, and the override that counts."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="area_ratings")
    period = models.DateField(_("month"))
    area = models.CharField(_("key area"), max_length=30, choices=Area.choices)
    computed_rag = models.CharField(_("computed RAG"), max_length=1, choices=Rag.choices, blank=True)
    rag = models.CharField(
        _("RAG"),
        max_length=1,
        choices=Rag.choices,
        blank=True,
        help_text=_("The rating that counts: the override if there is one."),
    )
    override = models.ForeignKey(AreaOverride, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    greens = models.PositiveSmallIntegerField(default=0)
    ambers = models.PositiveSmallIntegerField(default=0)
    reds = models.PositiveSmallIntegerField(default=0)
    direction = models.CharField(_("against last month"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("area rating")
        constraints = [models.UniqueConstraint(fields=["provider", "period", "area"], name="one_area_rating")]
        indexes = [models.Index(fields=["period", "provider"])]

    def __str__(self):
        return f"{self.provider_id} {format_period(self.period)} {self.area}: {self.rag or '-'}"


class ProviderRating(models.Model):
    """A provider's month: red and amber areas, the recommended level and the escalation level."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="ratings")
    period = models.DateField(_("month"))
    reds = models.PositiveSmallIntegerField(default=0)
    ambers = models.PositiveSmallIntegerField(default=0)
    recommended_level = models.PositiveSmallIntegerField(_("recommended level"), null=True, blank=True)
    level_direction = models.CharField(_("against last month"), max_length=10, blank=True)
    # Access split for the scorecard (seed 002, Table 2): display only, never counted.
    usc_rag = models.CharField(_("Access: unscheduled care"), max_length=1, blank=True)
    planned_rag = models.CharField(_("Access: planned care"), max_length=1, blank=True)
    # Written by the escalation evaluation when this month is evaluated, not by the rating.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), null=True, blank=True)
    pending_step_down = models.PositiveSmallIntegerField(_("pending step-down to"), null=True, blank=True)
    # False: the provider was in scope but its return was not received ("No return", METHODOLOGY):
    # the month is not rated, and this row only records that (no areas, no level).
    received = models.BooleanField(_("return received"), default=True)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("provider rating")
        constraints = [models.UniqueConstraint(fields=["provider", "period"], name="one_provider_rating")]
        indexes = [models.Index(fields=["period"])]

    def __str__(self):
        return f"{self.provider_id} {format_period(self.period)}: level {self.recommended_level}"


MAX_FAILURE_REASON = 500


def current_worker():
    """This process as a job records it: host name and process id ("web-1 4242")."""
    return f"{socket.gethostname()} {os.getpid()}"[:200]


class Job(models.Model):
    """A piece of background work people wait for (abstract): queued, running, then done or failed
    after its retries with the reason, so a failure is seen, not lost; with its attempts, times and
    progress. A rating run and a committee pack are jobs; an import job can be one."""

    Status = JobStatus
    # What `status` calls a finished job: a subclass with its own words sets it (a pack is "ready").
    done_status = JobStatus.DONE

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    failure_reason = models.TextField(_("why it failed"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("done so far"), default=0)
    progress_total = models.PositiveIntegerField(_("to do"), null=True, blank=True, help_text=_("Blank: not known."))
    worker = models.CharField(
        _("run by"), max_length=200, blank=True, help_text=_("The machine and process of its latest attempt.")
    )
    queued_at = models.DateTimeField(_("last queued"), default=timezone.now)

    # Attempts before a job that keeps dying is failed for good (the task's retries plus one).
    max_attempts = 3

    class Meta:
        abstract = True

    @classmethod
    def time_limit(cls):
        """Seconds an attempt may run (settings.JOB_TIME_LIMITS); the task is stopped after it."""
        return settings.JOB_TIME_LIMITS.get(cls._meta.label_lower, settings.JOB_TIME_LIMIT_DEFAULT)

    def requeue(self):
        """Send the job's task again (the sweep's retry of a job whose worker died)."""
        raise NotImplementedError

    def start(self):
        """An attempt begins. Attempts are counted in the database (F), so two workers that pick
        up the same job both count. The last attempt's failure stays until this one ends. The
        process is recorded, so the sweep sees at once when it has died on this machine."""
        self.status, self.started_at, self.worker = JobStatus.RUNNING, timezone.now(), current_worker()
        self.attempts = models.F("attempts") + 1
        self.save(update_fields=["status", "started_at", "attempts", "worker"])
        self.refresh_from_db(fields=["attempts"])

    @property
    def finished(self):
        return self.status in (self.done_status, JobStatus.FAILED)

    def finish(self, *, save=True):
        """Done. `save=False` leaves the saving to a caller that stores the job's result with it."""
        self.status, self.finished_at, self.failure_reason = self.done_status, timezone.now(), ""
        if self.progress_total is not None:
            self.progress_done = self.progress_total
        if save:
            self.save(update_fields=["status", "finished_at", "failure_reason", "progress_done"])

    def fail(self, error, final=True):
        """A failed attempt: queued again for its retry, or (`final`) failed for good, with the reason.
        The reason is written in the site's language (settings.LANGUAGE_CODE), never in whichever
        language the worker or the web request happens to have active."""
        reason = f"{type(error).__name__}: {error}"[:MAX_FAILURE_REASON]
        if final:
            self.status, self.failure_reason, self.finished_at = JobStatus.FAILED, reason, timezone.now()
        else:
            self.status, self.finished_at, self.queued_at = JobStatus.QUEUED, None, timezone.now()
            with translation.override(settings.LANGUAGE_CODE):
                self.failure_reason = gettext("Attempt failed, trying again: %(error)s") % {"error": reason}
        self.save(update_fields=["status", "failure_reason", "finished_at", "queued_at"])

    def set_progress(self, done, total=None):
        """Record how far the job has got (`total` when it becomes known)."""
        self.progress_done = done
        fields = ["progress_done"]
        if total is not None:
            self.progress_total = total
            fields.append("progress_total")
        self.save(update_fields=fields)

    @property
    def in_progress(self):
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def duration_seconds(self):
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def progress_percent(self):
        """0 to 100, or None while the total is not known."""
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))


class RatingRun(Job):
    """One run of the rating pipeline for some months: asked for, queued or run in-process,
    then done or failed (after its retries) with the reason, so a failure is seen, not lost."""

    class Trigger(models.TextChoices):
        SUBMISSION = "submission", _("A return was submitted")
        IMPORT = "import", _("Returns were uploaded")
        SCHEDULE = "schedule", _("The monthly schedule")
        OVERRIDE = "override", _("An area rating was overridden")
        ACTUALS = "actuals", _("Contract activity and cost were recorded")

    periods = models.JSONField(_("months"), default=list)
    provider_ids = models.JSONField(null=True, blank=True, help_text=_("Blank: every provider."))
    trigger = models.CharField(_("why"), max_length=20, choices=Trigger.choices)
    in_process = models.BooleanField(
        _("run in the web process"),
        default=False,
        help_text=_("The job queue could not be reached, so the work was done at once instead."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked for"), auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("rating job")
        indexes = [models.Index(fields=["-requested_at"])]

    def __str__(self):
        return f"{', '.join(self.periods)}: {self.status}"

    @property
    def provider_count(self):
        return None if self.provider_ids is None else len(self.provider_ids)

    max_attempts = 4  # escalation.tasks: three retries

    def requeue(self):
        """Send the run's task again: its months, for its providers (blank: every provider)."""
        from .celery import app  # noqa: PLC0415 - the Celery app loads settings; models load first

        return app.signature(
            "escalation.tasks.recompute_months", args=(self.provider_ids, self.periods), kwargs={"run_id": self.pk}
        ).delay()


class UploadJob(Job):
    """A spreadsheet uploaded in the browser (returns or trajectories; or, for administrators, the
    register: providers, services, contracts, contract lines, indicators, changes of target),
    checked and then saved in a background job (issue 16): never in a web worker, one at a time per
    person, under the caps of providers.importing.ImportLimits and a time limit. The file is kept
    here (not on a disk a worker may not share) until it is saved or put aside, so it is never
    chosen twice. `kind` says which importer reads it (assurance.uploads.KINDS).

    `stage` says what the job does (check the file, or save it); `outcome` what came of the
    last stage: checked (ready to save), refused (with every problem), or saved.
    """

    class Kind(models.TextChoices):
        RETURNS = "returns", _("Monthly returns")
        TRAJECTORIES = "trajectories", _("Improvement trajectories")
        PROVIDERS = "providers", _("Providers")
        SERVICES = "services", _("Services")
        CONTRACTS = "contracts", _("Contracts")
        CONTRACT_LINES = "contract_lines", _("Contract lines")
        INDICATORS = "indicators", _("Indicators")
        TARGETS = "targets", _("Changes of target")

    class Stage(models.TextChoices):
        CHECK = "check", _("Check the file")
        SAVE = "save", _("Save the changes")

    class Outcome(models.TextChoices):
        NONE = "", _("Not yet known")
        CHECKED = "checked", _("Checked: ready to save")
        REFUSED = "refused", _("Refused")
        SAVED = "saved", _("Saved")
        DISCARDED = "discarded", _("Put aside")

    max_attempts = 1  # a file that stopped its worker is not tried on another: the person is told

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("contents"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("file"), blank=True, editable=False)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.CHECK)
    step = models.CharField(_("step"), max_length=20, blank=True, help_text=_("reading, checking or saving"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    confirmation_note = models.TextField(_("confirming note"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("upload job")
        indexes = [models.Index(fields=["requested_by", "status"])]

    def __str__(self):
        return f"{self.filename}: {self.stage} {self.status}"

    def get_absolute_url(self):
        return reverse("assurance:upload_job", args=[self.pk])

    def requeue(self):
        from .uploads import send  # noqa: PLC0415 - cycle: assurance.uploads imports the models

        send(self.pk)


class ValueQuery(TimeStampedModel):
    """A question about one value of a return (issue 17; DHIS2's data-value comment and follow-up):
    raised by a director or team member, answered in a thread of comments, then closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    monthly_return = models.ForeignKey(
        MonthlyReturn, verbose_name=_("return"), on_delete=models.CASCADE, related_name="queries"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    follow_up = models.BooleanField(
        _("needs follow-up"), default=True, help_text=_("Flag the value to be checked again next month.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["status", "-created_at", "-pk"]
        verbose_name = _("query on a value")
        verbose_name_plural = _("queries on values")

    def __str__(self):
        return f"{self.monthly_return}: {self.indicator_id} ({self.status})"


class QueryComment(models.Model):
    """One comment in a query's thread: who wrote what, when. Kept, never edited."""

    query = models.ForeignKey(ValueQuery, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("query comment")

    def __str__(self):
        return f"{self.author_id} on query {self.query_id}"


class ReturnSentBack(models.Model):
    """A submitted return sent back to draft for correction by a director, with the reason (issue 17)."""

    monthly_return = models.ForeignKey(MonthlyReturn, on_delete=models.CASCADE, related_name="send_backs")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=4000)
    sent_at = models.DateTimeField(_("sent back"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("return sent back for correction")

    def __str__(self):
        return f"{self.monthly_return_id} sent back by {self.sent_by_id}"
