from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = _("Escalation")

    def ready(self):
        # Register the pipeline's Celery tasks in every process (web too), so a task named
        # from assurance (which may not import escalation) runs in-process when eager.
        from . import tasks  # noqa: F401, PLC0415 - app registry: the tasks register in ready(), once the apps are loaded
