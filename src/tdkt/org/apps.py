from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "tdkt.org"
    label = "org"
    verbose_name = _("Tổ chức, cán bộ")

    def ready(self):
        from tdkt.core.dashboard import register_cards, register_panels
        from tdkt.org.selectors import dashboard_cards, dashboard_panels

        register_cards(dashboard_cards)
        register_panels(dashboard_panels)

        from tdkt.core.audit import register_details, register_events, register_objects

        register_events(
            {
                "unit.create": _("Thêm đơn vị"),
                "person.create": _("Thêm cán bộ"),
                "person.update": _("Sửa hồ sơ cán bộ"),
                "person.transfer": _("Điều chuyển cán bộ"),
                "person.import": _("Cán bộ: nhập từ Excel"),
                "position.import": _("Quá trình công tác: nhập từ Excel"),
                "evaluation.import": _("Xếp loại: nhập từ Excel"),
                "discipline.import": _("Kỷ luật: nhập từ Excel"),
                "leave.import": _("Nghỉ: nhập từ Excel"),
                "award.import": _("Khen thưởng: nhập từ Excel"),
                "award.revoke": _("Hủy bỏ khen thưởng"),
                "import.people": _("Nhập tệp danh sách cán bộ"),
                "import.evaluations": _("Nhập tệp xếp loại hằng năm"),
                "import.awards": _("Nhập tệp khen thưởng đã nhận"),
            }
        )
        register_objects({"org.import": _("tệp nhập dữ liệu")})
        register_details(
            {
                "source": _("tệp"),
                "rows": _("số dòng"),
                "created": _("thêm mới"),
                "updated": _("cập nhật"),
                "unchanged": _("không đổi"),
                "on": _("từ ngày"),
                "decision": _("quyết định"),
            }
        )
