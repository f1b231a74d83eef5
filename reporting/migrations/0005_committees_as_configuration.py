"""Committees as configuration (METHODOLOGY 6, second edition): the six default committees of the
seeds, with the command line's codes (DESIGN.md), and each pack pointed at its committee (the
column keeps the committee's code, so existing packs keep theirs). Administrators keep committees;
a committee's packs are read by the roles it names (until now: the Joint Committee's by everyone
with a role, the others by staff)."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from providers.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER, grant_permissions

STANDARD = ["levels", "decisions", "scorecard", "exceptions", "completeness", "renewals"]
STAFF = [TEAM_MEMBER, DIRECTOR, ADMINISTRATOR]
# code, name, Welsh name, cadence (months), scope, sections, roles that read its packs (METHODOLOGY 6's table).
# The three new Welsh names are for the translator to confirm.
DEFAULTS = [
    ("cdgb", "Corporate Directors Group Board", "Bwrdd Grŵp y Cyfarwyddwyr Corfforaethol", 1, "all",
     [*STANDARD, "corporate_risks"], STAFF),
    ("management_group", "Management Group", "Grŵp Rheoli", 1, "all", STANDARD, STAFF),
    ("joint_committee", "Joint Committee", "Cyd-bwyllgor", 2, "all", STANDARD, [*STAFF, COMMITTEE_MEMBER]),
    ("qpsc", "Quality and Patient Safety Committee", "Pwyllgor Ansawdd a Diogelwch Cleifion", 2, "quality_safety",
     ["levels", "decisions", "scorecard", "exceptions", "summits", "completeness"], STAFF),
    ("pfig", "Performance, Finance and Information Governance Committee",
     "Pwyllgor Perfformiad, Cyllid a Llywodraethu Gwybodaeth", 1, "level_3_up", STANDARD, STAFF),
    ("board", "Board", "Bwrdd", 2, "level_4_summits",
     ["levels", "decisions", "scorecard", "exceptions", "summits", "completeness", "renewals"], STAFF),
]


def forwards(apps, schema_editor):
    Committee = apps.get_model("reporting", "Committee")
    Group = apps.get_model("auth", "Group")
    for code, name, name_cy, cadence, scope, sections, roles in DEFAULTS:
        committee, _created = Committee.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_cy": name_cy, "cadence": cadence, "scope": scope, "sections": sections},
        )
        committee.readers.add(*(Group.objects.get_or_create(name=role)[0] for role in roles))
    grant_permissions(apps, "reporting", {ADMINISTRATOR: ["view_committee", "add_committee", "change_committee"]})


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('reporting', '0004_api_tokens'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='committeepack',
            options={'ordering': ['-period', '-requested_at'], 'verbose_name': 'committee pack'},
        ),
        migrations.CreateModel(
            name='Committee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Used on the command line (build_pack --committee CODE). It cannot be changed later.', max_length=30, unique=True, validators=[django.core.validators.RegexValidator('^[a-z][a-z0-9_]*$', 'Use lower-case letters, digits and underscores, starting with a letter.')], verbose_name='code')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('name_cy', models.CharField(blank=True, help_text='Blank: the English name.', max_length=200, verbose_name='name in Welsh')),
                ('cadence', models.PositiveSmallIntegerField(choices=[(1, 'Monthly'), (2, 'Bi-monthly'), (3, 'Quarterly')], default=1, help_text='A first pack covers this many months; later packs the months since the previous pack.', verbose_name='how often it meets')),
                ('scope', models.CharField(choices=[('all', 'All providers'), ('level_3_up', 'Providers at escalation level 3 and above'), ('level_4_summits', 'Providers at level 4, and every provider summit held'), ('quality_safety', 'Red quality and safety areas, Red critical indicators, and every provider summit held')], default='all', max_length=30, verbose_name='providers in scope')),
                ('sections', models.JSONField(default=list, help_text='The sections its packs hold, in order.', verbose_name='sections')),
                ('active', models.BooleanField(default=True, help_text='A committee no longer in use keeps its packs but gets no new ones.', verbose_name='in use')),
                ('readers', models.ManyToManyField(help_text="People in these roles see the committee's packs and may download them.", related_name='+', to='auth.group', verbose_name='roles that may read its packs')),
            ],
            options={
                'verbose_name': 'committee',
                'ordering': ['name'],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='committeepack',
            name='committee',
            field=models.ForeignKey(db_column='committee', on_delete=django.db.models.deletion.PROTECT, related_name='packs', to='reporting.committee', to_field='code', verbose_name='committee'),
        ),
        migrations.CreateModel(
            name='HistoricalCommittee',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('code', models.CharField(db_index=True, help_text='Used on the command line (build_pack --committee CODE). It cannot be changed later.', max_length=30, validators=[django.core.validators.RegexValidator('^[a-z][a-z0-9_]*$', 'Use lower-case letters, digits and underscores, starting with a letter.')], verbose_name='code')),
                ('name', models.CharField(db_index=True, max_length=200, verbose_name='name')),
                ('name_cy', models.CharField(blank=True, help_text='Blank: the English name.', max_length=200, verbose_name='name in Welsh')),
                ('cadence', models.PositiveSmallIntegerField(choices=[(1, 'Monthly'), (2, 'Bi-monthly'), (3, 'Quarterly')], default=1, help_text='A first pack covers this many months; later packs the months since the previous pack.', verbose_name='how often it meets')),
                ('scope', models.CharField(choices=[('all', 'All providers'), ('level_3_up', 'Providers at escalation level 3 and above'), ('level_4_summits', 'Providers at level 4, and every provider summit held'), ('quality_safety', 'Red quality and safety areas, Red critical indicators, and every provider summit held')], default='all', max_length=30, verbose_name='providers in scope')),
                ('sections', models.JSONField(default=list, help_text='The sections its packs hold, in order.', verbose_name='sections')),
                ('active', models.BooleanField(default=True, help_text='A committee no longer in use keeps its packs but gets no new ones.', verbose_name='in use')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical committee',
                'verbose_name_plural': 'historical committees',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
