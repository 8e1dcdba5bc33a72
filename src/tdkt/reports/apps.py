import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tdkt.reports"
    verbose_name = _("Thống kê, báo cáo")

    def ready(self):
        from tdkt.core.audit import register_events
        from tdkt.core.periodic import periodic
        from tdkt.reports import services

        register_events({"reports.tally_refresh": _("Yêu cầu tính lại số liệu thống kê")})

        # the years whose award records (or persons) changed since their summary was computed
        @periodic("reports.tally", every=datetime.timedelta(minutes=10))
        def refresh_stale_tally(*, now):
            services.refresh_stale()

        # what no marker shows (a unit that became an enterprise): everything once a day
        @periodic("reports.tally_full", every=datetime.timedelta(days=1))
        def refresh_whole_tally(*, now):
            services.tally_refresh()
