from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _describe_awards(events):
    """An award record links to its person's page (one query for the page); a collective's has none."""
    from tdkt.org.models import AwardRecord

    ids = {int(e.object_id) for e in events if e.object_id.isdigit()}
    people = dict(AwardRecord.objects.filter(pk__in=ids, person__isnull=False).values_list("pk", "person_id"))
    return {
        e.pk: (None, reverse("org:person_detail", args=[people[int(e.object_id)]]))
        for e in events
        if e.object_id.isdigit() and int(e.object_id) in people
    }


class OrgConfig(AppConfig):
    name = "tdkt.org"
    label = "org"
    verbose_name = _("Tổ chức, cán bộ")

    def ready(self):
        from tdkt.core.dashboard import register_cards, register_panels
        from tdkt.org.selectors import dashboard_cards, dashboard_panels

        register_cards(dashboard_cards)
        register_panels(dashboard_panels)

        from tdkt.core.audit import (
            Presenter,
            register_details,
            register_event_fields,
            register_events,
            register_objects,
            register_presenter,
            register_renamed_events,
            register_values,
        )
        from tdkt.org.enums import AwardCode, DisciplineForm, IssuerLevel, Rating

        register_events(
            {
                "unit.create": _("Thêm đơn vị"),
                "person.create": _("Thêm cán bộ"),
                "person.update": _("Sửa hồ sơ cán bộ"),
                "person.transfer": _("Điều chuyển cán bộ"),
                "person.import": _("Nhập danh sách cán bộ từ Excel"),
                "position.import": _("Sửa ngày bắt đầu công tác khi nhập từ Excel"),
                "evaluation.import": _("Nhập xếp loại hằng năm từ Excel"),
                "discipline.import": _("Nhập kỷ luật từ Excel"),
                "leave.import": _("Nhập thời gian nghỉ từ Excel"),
                "award.import": _("Nhập khen thưởng đã nhận từ Excel"),
                "initiative.import": _("Nhập sáng kiến, đề tài từ Excel"),
                "award.revoke": _("Hủy bỏ khen thưởng"),
                "award.issue": _("Ghi khen thưởng theo quyết định"),
                "award.record": _("Ghi khen thưởng theo quyết định của cấp trên"),
                "identity.review_open": _("Chuyển Vụ TĐKT xác minh số định danh trùng"),
                "identity.merge": _("Hợp nhất hai hồ sơ của cùng một người"),
                "identity.reject": _("Gỡ số định danh không được xác nhận"),
                "unit.merge": _("Hợp nhất, sáp nhập đơn vị"),
                "unit.split": _("Chia, tách đơn vị"),
                "unit.rename": _("Đổi tên đơn vị"),
                "unit.move": _("Chuyển đơn vị sang đơn vị cấp trên khác"),
            }
        )
        # The summary of an import file was written as "import.<kind>" until it took the code of the
        # rows it writes (object.verb, as every other event): old rows read and filter with the new.
        register_renamed_events(
            {
                "import.people": "person.import",
                "import.evaluations": "evaluation.import",
                "import.awards": "award.import",
            }
        )
        # these events are about a person (or a collective); their changes are an evaluation's fields…
        register_event_fields(
            {
                "evaluation.import": "org.evaluation",
                "discipline.import": "org.discipline",
                "leave.import": "org.leave",
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
                "transferred": _("điều chuyển đơn vị"),
                "on": _("từ ngày"),
                "decision": _("quyết định"),
                "position_start": _("ngày bắt đầu công tác"),
                "person": _("cán bộ"),
                "collective": _("tập thể"),
                "unit": _("đơn vị"),
                "holder": _("hồ sơ đang giữ số định danh"),
                "merged": _("hồ sơ đã gộp vào"),
                "moved": _("dữ liệu đã chuyển"),
                "note": _("ghi chú"),
                "decision_date": _("ngày quyết định"),
                "predecessors": _("đơn vị trước sắp xếp"),
                "successors": _("đơn vị kế thừa"),
                "successor": _("đơn vị kế thừa"),
                "people": _("số cán bộ chuyển sang"),
                "subunits": _("đơn vị trực thuộc chuyển sang"),
                "continuing_collective": _("tập thể được tính nối tiếp"),
                "parent": _("đơn vị cấp trên"),
                "name": _("tên đơn vị"),
                "restructuring": _("sắp xếp lại đơn vị"),
            }
        )
        # lists of units, not [old, new]
        register_details({}, whole=("predecessors", "successors", "subunits"))
        register_values(Rating, DisciplineForm, AwardCode, IssuerLevel)
        register_presenter("org.awardrecord", Presenter(describe=_describe_awards))
