# Jobs that cannot get stuck (issue 16): the process of a job's latest attempt, and when it was last queued.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assurance", "0008_indicator_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="ratingrun",
            name="worker",
            field=models.CharField(
                blank=True,
                help_text="The machine and process of its latest attempt.",
                max_length=200,
                verbose_name="run by",
            ),
        ),
        migrations.AddField(
            model_name="ratingrun",
            name="queued_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="last queued"),
        ),
    ]
