"""Models with no domain: timestamps, stored files, the audit trail and background-job progress."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from tdkt.core.enums import AuditAction, JobStatus
from tdkt.core.uploads import CheckedFile, storage_name


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class StoredFile(models.Model):
    """A file that passed the one upload check, kept under a random name with its checked facts.

    Each concrete model declares its own ``file`` field (where it is stored); ``store`` fills the rest
    from the ``CheckedFile`` and saves the bytes and the row.
    """

    name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def store(self, checked: CheckedFile, *, actor) -> None:
        """Fill the checked facts, write the bytes under a random name and save the row."""
        self.name, self.kind = checked.name, checked.kind
        self.size, self.sha256 = checked.size, checked.sha256
        self.uploaded_by = actor if getattr(actor, "pk", None) else None
        self.file.save(storage_name(checked), ContentFile(checked.data), save=False)
        self.save()


class AuditEvent(models.Model):
    """One row per change: who, when, what object, which fields went from what to what."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("loại"), max_length=10, choices=AuditAction.choices)
    event = models.CharField(_("sự kiện"), max_length=80, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=80, db_index=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    unit_id_ref = models.BigIntegerField(_("đơn vị"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.event} {self.object_repr}"


class Job(models.Model):
    """A long job (import, batch evaluation, report) that a task runs and a page polls for progress."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại"), max_length=50)
    title = models.CharField(_("tên"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    total = models.PositiveIntegerField(_("tổng"), default=0)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    file = models.FileField(_("tệp"), upload_to="jobs/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the unit the job works on (an eligibility run's unit, an importer's unit): whoever may follow jobs
    # in that unit sees it, not only its creator (core.jobs.may_see)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # the worker process running the job (core.workers): its heartbeat tells whether it is still alive
    worker = models.ForeignKey(
        "core.WorkerHeartbeat", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the task that runs the job, to run it again after its worker died (core.jobs.job_restart)
    task_path = models.CharField(max_length=255, blank=True)
    task_args = models.JSONField(default=dict, blank=True)  # {"args": [...], "kwargs": {...}}
    task_result_id = models.CharField(max_length=64, blank=True)  # django-tasks' id of the queued run
    # set when the job was failed because its worker stopped or no worker took it: it may be restarted
    abandoned_at = models.DateTimeField(_("bị bỏ dở lúc"), null=True, blank=True)
    restarts = models.PositiveSmallIntegerField(_("số lần chạy lại"), default=0)
    # what the job produced (a background Excel export), served only through core:job_file
    output = models.FileField(_("tệp kết quả"), upload_to="exports/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tác vụ nền")
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class WorkerHeartbeat(models.Model):
    """One row per `tdkt worker` process, refreshed every few seconds by a thread of that process
    (core.workers). A running job whose worker has not been seen for a while is failed as abandoned."""

    id = models.CharField(primary_key=True, max_length=64)  # the worker id django-tasks records too
    host = models.CharField(_("máy"), max_length=255)
    pid = models.PositiveIntegerField(_("mã tiến trình"))
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    last_seen = models.DateTimeField(_("thấy lần cuối lúc"), db_index=True)
    stopped_at = models.DateTimeField(_("dừng lúc"), null=True, blank=True)  # a clean exit
    current_job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("tác vụ")
    )

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("tiến trình xử lý nền")
        verbose_name_plural = _("tiến trình xử lý nền")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class Notification(models.Model):
    """One message to one user: shown under the bell, and sent by e-mail by the task worker."""

    class EmailState(models.TextChoices):
        PENDING = "pending", _("Chờ gửi thư")
        SENDING = "sending", _("Đang gửi thư")
        SENT = "sent", _("Đã gửi thư")
        # no address, an inactive account, e-mail off when it was written, or an address refused for
        # good: never looked at again, so the queue does not rescan it forever
        SKIPPED = "skipped", _("Không gửi thư")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=60)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    # the same reminder is sent once: e.g. "ballot:12:closing" for one user
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    email_state = models.CharField(
        _("thư"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    # the sender run holding the row while it sends (core.mail), so two workers never mail it twice;
    # a claim older than core.mail.STALE_CLAIM is taken back (a worker killed mid-batch)
    email_claim = models.CharField(max_length=32, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"]),
            # the mail queue: only the rows still to send, oldest first
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(email_state__in=["pending", "sending"]),
                name="notification_mail_queue",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="one_notification_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PeriodicRun(models.Model):
    """When a periodic job (core.periodic) last started: the one row every worker claims before running
    it, by a conditional UPDATE, so a job runs once per period however many workers there are."""

    name = models.CharField(_("tên"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("chạy lần cuối lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("việc định kỳ")
        verbose_name_plural = _("việc định kỳ")

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """A day of the working-day calendar an admin added (next year's notice) or corrected. It takes
    precedence over the data file core/data/calendar.yaml on the same date (tdkt.core.calendar)."""

    class Kind(models.TextChoices):
        # the same codes as the data file (tdkt.core.calendar_data), plus `workday` to correct it
        HOLIDAY = "holiday", _("Ngày nghỉ lễ, Tết")
        SWAP_OFF = "swap_off", _("Ngày nghỉ do hoán đổi")
        MAKEUP = "makeup", _("Ngày làm bù")
        WORKDAY = "workday", _("Ngày làm việc (sửa dữ liệu)")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("ghi chú"), max_length=255)
    source = models.CharField(_("căn cứ"), max_length=255)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày trong lịch làm việc")
        verbose_name_plural = _("ngày trong lịch làm việc")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"
