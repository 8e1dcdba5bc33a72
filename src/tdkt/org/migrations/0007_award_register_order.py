"""Indexes of the award register's default order (issue 10): newest first by the years, the decision
date and the id. The register's first page walks one and stops after a page instead of sorting every
award record of the user's scope; the partial one holds only revoked records, for the "revoked" filter."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0006_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="awardrecord",
            index=models.Index(
                fields=["-last_year", "-first_year", "-decided_on", "-id"], name="award_register_order"
            ),
        ),
        migrations.AddIndex(
            model_name="awardrecord",
            index=models.Index(
                condition=models.Q(("revoked", True)),
                fields=["-last_year", "-first_year", "-decided_on", "-id"],
                name="award_register_revoked",
            ),
        ),
    ]
