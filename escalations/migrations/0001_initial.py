# Escalations, decisions and precedents moved here from the referrals app (ADR 0062).
#
# The tables stay where they are (Meta.db_table keeps referrals_escalation, referrals_decision,
# referrals_precedent, referrals_precedentdomain, with their indexes, constraints and the
# trigram indexes of referrals 0006): this migration only tells Django's state that the models
# now belong to this app; referrals 0010 then removes them from the referrals state. Neither
# runs any DDL (`sqlmigrate escalations 0001` and `sqlmigrate referrals 0010` print none).
#
# The content types of the four models are renamed to this app, so an existing database keeps
# their ids (and the permissions that point at them). A fresh database has none to rename yet:
# Django creates them after migrating.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The rename in SQL (RunSQL needs no rendered model state, unlike RunPython), skipping a model
# whose escalations content type exists already.
MOVE_CONTENT_TYPES = """
UPDATE django_content_type SET app_label = 'escalations'
WHERE app_label = 'referrals'
  AND model IN ('escalation', 'decision', 'precedent', 'precedentdomain')
  AND model NOT IN (SELECT model FROM django_content_type WHERE app_label = 'escalations')
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contacts', '0003_pending_import_and_recorded_by'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('referrals', '0009_export_verbose_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Escalation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('open', 'open'), ('decided', 'decided')], default='open', max_length=8, verbose_name='state')),
                        ('reason', models.CharField(choices=[('grey_responsibility', 'grey area: responsibility'), ('grey_funding', 'grey area: funding'), ('capacity', 'capacity / waiting list'), ('no_progress', 'no progress'), ('other', 'other')], max_length=32, verbose_name='reason')),
                        ('raised_side', models.CharField(choices=[('school', 'school'), ('district_team', 'district team'), ('system', 'automatically (waiting norm exceeded)')], max_length=16, verbose_name='raised by side')),
                        ('raised_at', models.DateTimeField(auto_now_add=True, verbose_name='raised at')),
                        ('raiser_position', models.TextField(blank=True, verbose_name='position of the raising side')),
                        ('other_position', models.TextField(blank=True, verbose_name='position of the other side')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='escalations', to='contacts.municipality', verbose_name='municipality')),
                        ('other_position_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='other position given by')),
                        ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='escalations', to='contacts.partnership', verbose_name='partnership')),
                        ('raised_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='raised by')),
                        ('referral', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='escalations', to='referrals.referral', verbose_name='referral')),
                    ],
                    options={
                        'verbose_name': 'escalation',
                        'verbose_name_plural': 'escalations',
                        'db_table': 'referrals_escalation',
                        'ordering': ['-raised_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Decision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('help', models.TextField(verbose_name='what help')),
                        ('carried_by', models.CharField(choices=[('education', 'education'), ('youth_care', 'youth care'), ('shared', 'shared'), ('collective', 'collective school arrangement')], max_length=16, verbose_name='carried by')),
                        ('split', models.CharField(blank=True, max_length=200, verbose_name='split of the costs')),
                        ('rationale', models.TextField(verbose_name='rationale')),
                        ('carry_out_by', models.DateField(verbose_name='carried out by')),
                        ('decided_at', models.DateTimeField(auto_now_add=True, verbose_name='decided at')),
                        ('reminder_sent_on', models.DateField(blank=True, null=True, verbose_name='reminder sent on')),
                        ('agreed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='agreed by')),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('escalation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='decision', to='escalations.escalation', verbose_name='escalation')),
                    ],
                    options={
                        'verbose_name': 'decision',
                        'verbose_name_plural': 'decisions',
                        'db_table': 'referrals_decision',
                    },
                ),
                migrations.CreateModel(
                    name='Precedent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('draft', 'draft'), ('published', 'published')], default='draft', max_length=10, verbose_name='status')),
                        ('reason', models.CharField(choices=[('grey_responsibility', 'grey area: responsibility'), ('grey_funding', 'grey area: funding'), ('capacity', 'capacity / waiting list'), ('no_progress', 'no progress'), ('other', 'other')], max_length=32, verbose_name='reason')),
                        ('school_type', models.CharField(blank=True, max_length=3, verbose_name='school type')),
                        ('age_band', models.CharField(blank=True, choices=[('0-3', '0–3'), ('4-7', '4–7'), ('8-11', '8–11'), ('12-15', '12–15'), ('16+', '16+')], max_length=5, verbose_name='age band')),
                        ('carried_by', models.CharField(choices=[('education', 'education'), ('youth_care', 'youth care'), ('shared', 'shared'), ('collective', 'collective school arrangement')], max_length=16, verbose_name='carried by')),
                        ('split', models.CharField(blank=True, max_length=200, verbose_name='split of the costs')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                        ('summary', models.TextField(blank=True, verbose_name='situation (anonymised)')),
                        ('outcome', models.TextField(blank=True, verbose_name='outcome: what help was decided')),
                        ('rationale', models.TextField(blank=True, verbose_name='rationale')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published at')),
                        ('decision', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='precedent', to='escalations.decision', verbose_name='decision')),
                        ('municipality', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='precedents', to='contacts.municipality', verbose_name='municipality')),
                        ('partnership', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='precedents', to='contacts.partnership', verbose_name='partnership')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by')),
                    ],
                    options={
                        'verbose_name': 'precedent',
                        'verbose_name_plural': 'precedents',
                        'db_table': 'referrals_precedent',
                        'ordering': ['-published_at', '-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='PrecedentDomain',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('domain', models.CharField(choices=[('behaviour', 'behaviour'), ('social_emotional', 'social-emotional'), ('self_care', 'self-care / ADL'), ('home_situation', 'home situation'), ('learning', 'learning / development'), ('physical', 'physical / medical')], max_length=32, verbose_name='domain')),
                        ('precedent', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='domains', to='escalations.precedent')),
                    ],
                    options={
                        'db_table': 'referrals_precedentdomain',
                        'ordering': ['domain'],
                    },
                ),
                migrations.AddIndex(
                    model_name='escalation',
                    index=models.Index(fields=['partnership', 'state'], name='escalation_partnership_state'),
                ),
                migrations.AddIndex(
                    model_name='escalation',
                    index=models.Index(fields=['municipality', 'state'], name='escalation_municipality_state'),
                ),
                migrations.AddConstraint(
                    model_name='escalation',
                    constraint=models.UniqueConstraint(condition=models.Q(('state', 'open')), fields=('referral',), name='escalation_one_open_per_referral'),
                ),
                migrations.AddIndex(
                    model_name='precedent',
                    index=models.Index(fields=['status', 'reason'], name='precedent_status_reason'),
                ),
                migrations.AddIndex(
                    model_name='precedent',
                    index=models.Index(fields=['status', '-published_at'], name='precedent_status_published'),
                ),
                migrations.AddConstraint(
                    model_name='precedent',
                    constraint=models.CheckConstraint(condition=models.Q(('status', 'draft'), models.Q(('published_at__isnull', False), ('published_by__isnull', False)), _connector='OR'), name='precedent_published_has_publisher'),
                ),
                migrations.AddConstraint(
                    model_name='precedentdomain',
                    constraint=models.UniqueConstraint(fields=('precedent', 'domain'), name='precedent_domain_unique'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunSQL(MOVE_CONTENT_TYPES, migrations.RunSQL.noop, elidable=False),
    ]
