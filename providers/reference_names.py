"""Names of the reference data made by migrations, marked for translation (issue 17: Welsh is
complete, reference data included).

The rows keep their English names (DESIGN.md's codes and names); these marks put each name in the
catalogue, so `makemessages` collects it and the lead can give its Welsh, and the model shows the
name in the reader's language (`CommissioningTeam.__str__` / `display_name`). A team an
administrator adds later shows as typed until its name is translated.
"""

from django.utils.translation import gettext_noop

TEAM_NAMES = [
    gettext_noop("Cancer and Blood"),
    gettext_noop("Cardiac"),
    gettext_noop("Neurosciences"),
    gettext_noop("Women and Children"),
    gettext_noop("Mental Health and Vulnerable Groups"),
    gettext_noop("Intestinal Failure"),
]
