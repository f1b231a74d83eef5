from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        """The dashboard's rows and the provider page's charts are cached under the register's version
        (assurance.rating_versions): any write to what they show, other than ratings and values,
        renews it."""
        from django.db.models.signals import m2m_changed, post_delete, post_save  # noqa: PLC0415

        from assurance.models import Indicator, IndicatorTarget, Trajectory  # noqa: PLC0415
        from assurance.rating_versions import register_changed  # noqa: PLC0415
        from contracts.models import Contract  # noqa: PLC0415
        from escalation.models import Meeting  # noqa: PLC0415
        from providers.models import CommissioningTeam, Provider  # noqa: PLC0415

        # The provider page's charts also read the catalogue's targets and the agreed trajectories.
        for model in (Provider, Contract, CommissioningTeam, Meeting, Indicator, IndicatorTarget, Trajectory):
            post_save.connect(register_changed, sender=model, dispatch_uid=f"register-version-save-{model.__name__}")
            post_delete.connect(
                register_changed, sender=model, dispatch_uid=f"register-version-delete-{model.__name__}"
            )
        m2m_changed.connect(
            register_changed, sender=Meeting.other_providers.through, dispatch_uid="register-version-meeting-providers"
        )
