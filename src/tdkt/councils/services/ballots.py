"""Secret ballots: open, cast, close (paper figures: tallies.py; notices and the periodic job: notices.py).

How a vote stays secret at rest (docs/decisions/0006-secret-ballot.md):
- "has voted" is a `BallotReceipt` (ballot, member; random UUID key, no time); the choices are counters
  `BallotTally` (ballot, item, choice, count) made at open. Nothing stores a member with a choice.
- A vote writes its receipt and adds 0 or 1 to EVERY counter of the ballot in ONE UPDATE, in one
  transaction: every counter row is rewritten by every vote, so on PostgreSQL all of them carry the
  transaction id (xmin) of the last voter whatever was chosen, and no counter "moved" with one voter.
- That UPDATE is sent on the raw database cursor: Django's query logging (DEBUG, captured queries) never
  sees its parameters, which are the choices. The audit event "ballot.cast" names the voter and the
  ballot, never a choice; nothing here logs.
- At close the receipts are rewritten in a random order (delete and insert with new keys, one
  transaction), so neither their keys nor their physical order (ctid, rowid) follow the voting order.
- The counters of an open ballot are read by no page and no function: only how many have voted.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from tdkt.accounts.rules import require_perm
from tdkt.core.audit import audit
from tdkt.core.enums import AuditAction
from tdkt.core.errors import ServiceError
from tdkt.councils.enums import Attendance, BallotAction, BallotMode, BallotStatus, Choice
from tdkt.councils.models import Ballot, BallotReceipt, BallotTally, CouncilMember, Meeting, MeetingItem
from tdkt.councils.selectors import ItemResult, compute_results, meeting_rule
from tdkt.councils.workflow import next_status

ALREADY_VOTED = gettext_lazy("Bạn đã bỏ phiếu.")
ONLY_OWN_LINES = gettext_lazy("Lần bỏ phiếu này chỉ có nội dung về chính bạn: bạn không bỏ phiếu.")
MAX_LISTED = 5


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


def _names(labels: list[str]) -> str:
    shown = ", ".join(labels[:MAX_LISTED])
    more = len(labels) - MAX_LISTED
    return shown + (_(" và %(n)s nội dung khác") % {"n": more} if more > 0 else "")


def _vote_url(ballot_id: int) -> str:
    return reverse("councils:ballot_vote", args=[ballot_id])


def _meeting_url(meeting_id: int) -> str:
    return reverse("councils:meeting_detail", args=[meeting_id])


# ---------------------------------------------------------------------------------------------- open


def _check_items(meeting: Meeting, item_ids: list[int], replaces: Ballot | None) -> list[MeetingItem]:
    try:
        wanted = sorted({int(i) for i in item_ids})
    except (TypeError, ValueError):
        raise ServiceError(_("Nội dung bỏ phiếu không hợp lệ."), field="items") from None
    if not wanted:
        raise ServiceError(_("Chọn ít nhất một nội dung để bỏ phiếu."), field="items")
    items = list(meeting.items.filter(pk__in=wanted).order_by("order", "id"))
    if len(items) != len(wanted):
        raise ServiceError(_("Có nội dung không thuộc phiên họp này."), field="items")
    ids = [i.pk for i in items]
    label = {i.pk: i.label for i in items}
    busy = sorted(
        set(
            Ballot.items.through.objects.filter(
                meetingitem_id__in=ids, ballot__status=BallotStatus.OPEN
            ).values_list("meetingitem_id", flat=True)
        )
    )
    if busy:
        raise ServiceError(
            _("Đang bỏ phiếu các nội dung: %(items)s.") % {"items": _names([label[i] for i in busy])},
            field="items",
        )
    # the latest closed ballot of each item: a re-vote must replace exactly that one
    latest: dict[int, int] = {}
    for item_id, ballot_id in (
        Ballot.items.through.objects.filter(meetingitem_id__in=ids, ballot__status=BallotStatus.CLOSED)
        .order_by("ballot__closed_at", "ballot__number")
        .values_list("meetingitem_id", "ballot_id")
    ):
        latest[item_id] = ballot_id
    if replaces is None:
        voted = [label[i] for i in ids if i in latest]
        if voted:
            raise ServiceError(
                _(
                    "Đã có kết quả bỏ phiếu của: %(items)s. Bỏ phiếu lại là một lần bỏ phiếu mới, ghi lý do "
                    "và chọn lần bỏ phiếu được thay thế."
                )
                % {"items": _names(voted)},
                field="items",
            )
    else:
        stale = [label[i] for i in ids if latest.get(i) != replaces.pk]
        if stale:
            raise ServiceError(
                _("Lần bỏ phiếu %(n)s không phải kết quả sau cùng của: %(items)s.")
                % {"n": replaces.number, "items": _names(stale)},
                field="items",
            )
    return items


def ballot_open(
    *,
    actor,
    meeting_id: int,
    item_ids: list[int],
    closes_at: datetime.datetime | None,
    mode: str = BallotMode.ELECTRONIC,
    allow_abstain: bool = False,
    reason: str = "",
    replaces_id: int | None = None,
) -> Ballot:
    """Open a secret ballot on `item_ids` of the meeting, now, until `closes_at` (electronic) or until the
    counting committee's tallies are entered (paper). The roll is the present voting members at this
    moment; the quorum of the vote rule is checked against them. A re-vote replaces a closed ballot with a
    written reason, on items of that ballot."""
    now = timezone.now()
    if mode not in BallotMode.values:
        raise ServiceError(_("Hình thức bỏ phiếu không hợp lệ."), field="mode")
    if mode == BallotMode.ELECTRONIC:
        if not isinstance(closes_at, datetime.datetime):
            raise ServiceError(_("Cần ghi thời hạn bỏ phiếu."), field="closes_at")
        if timezone.is_naive(closes_at):
            closes_at = timezone.make_aware(closes_at)
        if closes_at <= now:
            raise ServiceError(_("Thời hạn bỏ phiếu phải sau thời điểm hiện tại."), field="closes_at")
    else:
        closes_at = None
    reason = (reason or "").strip()[:2000]
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("council__unit").get(pk=meeting_id)
        require_perm(actor, "councils.run_meeting", meeting)
        replaces = None
        if replaces_id is not None:
            replaces = Ballot.objects.filter(pk=replaces_id, meeting=meeting).first()
            if replaces is None:
                raise ServiceError(_("Lần bỏ phiếu được thay thế không thuộc phiên họp này."))
            if replaces.status != BallotStatus.CLOSED:
                raise ServiceError(_("Chỉ bỏ phiếu lại sau khi lần bỏ phiếu trước đã đóng."))
            if not reason:
                raise ServiceError(_("Bỏ phiếu lại cần ghi rõ lý do."), field="reason")
        items = _check_items(meeting, item_ids, replaces)

        attendance = list(
            meeting.attendance.filter(member__active=True).select_related("member__person__user")
        )
        voting = [a for a in attendance if a.member.votes]
        unknown = [str(a.member.person) for a in attendance if a.status == Attendance.UNKNOWN]
        if unknown:
            raise ServiceError(
                _("Chưa điểm danh: %(names)s. Điểm danh đủ trước khi mở phiếu.")
                % {"names": ", ".join(unknown)}
            )
        roll = [a.member for a in voting if a.status == Attendance.PRESENT]
        if not roll:
            raise ServiceError(_("Không có thành viên có quyền biểu quyết nào có mặt."))
        rule = meeting_rule(meeting)
        needed = rule.quorum_needed(len(voting))
        if needed is not None and len(roll) < needed:
            raise ServiceError(
                _(
                    "Chưa đủ điều kiện để bỏ phiếu: có mặt %(present)s/%(total)s thành viên có quyền biểu "
                    "quyết, cần ít nhất %(needed)s. %(rule)s."
                )
                % {
                    "present": len(roll),
                    "total": len(voting),
                    "needed": needed,
                    "rule": rule.describe_quorum,
                }
            )
        council_people = {a.member.person_id for a in voting}
        roll_people = {m.person_id for m in roll}
        number = (meeting.ballots.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        ballot = Ballot.objects.create(
            meeting=meeting,
            number=number,
            mode=mode,
            allow_abstain=bool(allow_abstain),
            members_total=len(voting),
            rule={
                **rule.as_json(),
                "roll_size": len(roll),
                "recused_in_council": [i.pk for i in items if i.person_id in council_people],
                "recused_on_roll": [i.pk for i in items if i.person_id in roll_people],
            },
            opened_at=now,
            closes_at=closes_at,
            reason=reason,
            replaces=replaces,
        )
        ballot.items.set(items)
        ballot.voters.set(roll)
        choices = [Choice.AGREE, Choice.DISAGREE] + ([Choice.ABSTAIN] if allow_abstain else [])
        BallotTally.objects.bulk_create(
            BallotTally(ballot=ballot, item=item, choice=choice) for item in items for choice in choices
        )
        audit(
            actor,
            "ballot.open",
            ballot,
            action=AuditAction.CREATE,
            unit_id=meeting.council.unit_id,
            changes={
                "mode": mode,
                "items": len(items),
                "roll": len(roll),
                "closes_at": closes_at,
                "reason": reason,
                "replaces": replaces.number if replaces else None,
            },
        )
        if mode == BallotMode.ELECTRONIC:
            transaction.on_commit(lambda: _enqueue("notify_ballot_opened", ballot.pk))
    return ballot


# ---------------------------------------------------------------------------------------------- cast


def _voter(ballot: Ballot, actor) -> CouncilMember:
    member = (
        CouncilMember.objects.filter(council_id=ballot.meeting.council_id, person__user=actor, active=True)
        .select_related("person")
        .first()
        if getattr(actor, "is_authenticated", False)
        else None
    )
    if member is None:
        raise ServiceError(_("Bạn không phải thành viên của Hội đồng bỏ phiếu này."))
    return member


def _check_window(ballot: Ballot, now: datetime.datetime) -> None:
    if ballot.mode != BallotMode.ELECTRONIC:
        raise ServiceError(_("Lần bỏ phiếu này dùng phiếu giấy tại phòng họp, không bỏ phiếu trên hệ thống."))
    if ballot.status == BallotStatus.CLOSED:
        raise ServiceError(_("Phiếu bầu đã đóng."))
    if now < ballot.opened_at:
        raise ServiceError(_("Phiếu bầu chưa mở."))
    if ballot.closes_at is not None and now >= ballot.closes_at:
        raise ServiceError(_("Đã hết thời hạn bỏ phiếu (%(when)s).") % {"when": _when(ballot.closes_at)})


@sensitive_variables("choices", "chosen", "by_choice")
def _validate_choices(ballot: Ballot, member: CouncilMember, choices: dict[Any, str]) -> dict[str, list[int]]:
    """Each unrecused item of the ballot needs one allowed choice; a recused line takes none. Returns the
    item ids by choice."""
    allowed = {Choice.AGREE, Choice.DISAGREE} | ({Choice.ABSTAIN} if ballot.allow_abstain else set())
    items = list(ballot.items.order_by("order", "id").values_list("id", "label", "person_id"))
    known = {pk for pk, _label, _person in items}
    chosen: dict[int, str] = {}
    for key, value in (choices or {}).items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            raise ServiceError(_("Nội dung không thuộc phiếu bầu này.")) from None
        if item_id not in known:
            raise ServiceError(_("Nội dung không thuộc phiếu bầu này."))
        if value in (None, ""):
            continue
        chosen[item_id] = value
    by_choice: dict[str, list[int]] = {c: [] for c in sorted(allowed)}
    missing = []
    for pk, label, person_id in items:
        value = chosen.get(pk)
        if person_id is not None and person_id == member.person_id:
            if value is not None:
                raise ServiceError(
                    _("Bạn không bỏ phiếu cho chính mình (nội dung “%(label)s”).") % {"label": label}
                )
            continue
        if value is None:
            missing.append(label)
            continue
        if value not in allowed:
            raise ServiceError(_("Lựa chọn không hợp lệ ở nội dung “%(label)s”.") % {"label": label})
        by_choice[value].append(pk)
    if missing:
        raise ServiceError(
            _("Chưa chọn ý kiến cho %(n)s nội dung: %(items)s.")
            % {"n": len(missing), "items": _names(missing)}
        )
    if not any(by_choice.values()):
        raise ServiceError(ONLY_OWN_LINES)
    return by_choice


def _has_voted(ballot: Ballot, member: CouncilMember) -> bool:
    """A courtesy check for a clear message; the unique receipt is what decides under concurrency."""
    return BallotReceipt.objects.filter(ballot=ballot, member=member).exists()


def _placeholder() -> str:
    return "?" if connection.vendor == "sqlite" else "%s"


@sensitive_variables("by_choice", "params")
def _add_votes(ballot_id: int, by_choice: dict[str, list[int]]) -> None:
    """count = count + (1 for the chosen (item, choice), else 0) on EVERY counter of the ballot, in one
    statement. Sent on the DB-API cursor itself: Django's query log (DEBUG, test captures) would
    otherwise record the parameters, which are the choices."""
    qn = connection.ops.quote_name
    meta = BallotTally._meta
    table = qn(meta.db_table)
    count, choice, item, ballot = (
        qn(meta.get_field(n).column) for n in ("count", "choice", "item", "ballot")
    )
    ph = _placeholder()
    cases, params = [], []
    for value, ids in sorted(by_choice.items()):
        if ids:
            cases.append(f"WHEN {choice} = {ph} AND {item} IN ({', '.join([ph] * len(ids))}) THEN 1")
            params += [value, *ids]
    added = f"CASE {' '.join(cases)} ELSE 0 END" if cases else "0"
    sql = f"UPDATE {table} SET {count} = {count} + {added} WHERE {ballot} = {ph}"
    params.append(ballot_id)
    if connection.vendor in ("sqlite", "postgresql"):
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql, params)
        finally:
            cursor.close()
    else:  # another backend: its own placeholder style through Django (logged under DEBUG)
        with connection.cursor() as cursor:
            cursor.execute(sql.replace(ph, "%s"), params)


@sensitive_variables("choices", "by_choice")
def ballot_cast(*, actor, ballot_id: int, choices: dict[int, str]) -> None:
    """The actor's one ballot paper: a choice per item (agree, disagree, abstain where allowed), none on a
    line about themselves. Refused, with nothing counted, for anyone but a present voting member, outside
    the voting window, and for a second paper — two requests at the same instant included: the unique
    receipt (ballot, member) decides and the loser is told "Bạn đã bỏ phiếu".

    The paper is checked before the ballot is locked (its items and roll do not change while it is open);
    the lock is held only for what must be atomic: the window re-checked, the receipt, the counters, the
    audit event."""
    ballot = Ballot.objects.select_related("meeting__council").filter(pk=ballot_id).first()
    if ballot is None:
        raise ServiceError(_("Không tìm thấy phiếu bầu."))
    member = _voter(ballot, actor)
    _check_window(ballot, timezone.now())
    if not member.votes:
        raise ServiceError(_("Thư ký Hội đồng không có quyền biểu quyết."))
    if not ballot.voters.filter(pk=member.pk).exists():
        raise ServiceError(
            _("Bạn không có tên trong danh sách thành viên có mặt khi mở phiếu, nên không bỏ phiếu được.")
        )
    if _has_voted(ballot, member):
        raise ServiceError(ALREADY_VOTED)
    by_choice = _validate_choices(ballot, member, choices)
    with transaction.atomic():
        # closing takes the same lock: no vote lands in a ballot once it is closed
        locked = (
            Ballot.objects.select_for_update()
            .only("status", "mode", "opened_at", "closes_at")
            .get(pk=ballot.pk)
        )
        _check_window(locked, timezone.now())
        try:
            with transaction.atomic():
                BallotReceipt.objects.create(ballot=ballot, member=member)
        except IntegrityError:
            raise ServiceError(ALREADY_VOTED) from None
        _add_votes(ballot.pk, by_choice)
        audit(actor, "ballot.cast", ballot, unit_id=ballot.meeting.council.unit_id)


# ---------------------------------------------------------------------------------------------- close

Listener = Callable[[Ballot, list[ItemResult]], Any]
_close_listeners: list[tuple[str, Listener]] = []


def register_close_listener(prefix: str, fn: Listener) -> None:
    """Call `fn(ballot, results)` when a ballot closes, with the results of its items whose key starts
    with `prefix` (only when there are some). Called inside the closing transaction: what the listener
    writes commits with the close, and an error in it leaves the ballot open."""
    if (prefix, fn) not in _close_listeners:
        _close_listeners.append((prefix, fn))


def _shuffle_receipts(ballot: Ballot) -> int:
    """Rewrite the ballot's receipts in a random order with new keys, so that neither the keys nor the
    rows' physical order (PostgreSQL's ctid, SQLite's rowid) tell the order in which members voted.
    Returns how many there are. PostgreSQL: one statement; elsewhere: read, delete, insert."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(BallotReceipt._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} WHERE ballot_id = %s RETURNING member_id) "
                f"INSERT INTO {table} (id, ballot_id, member_id) "
                f"SELECT gen_random_uuid(), %s, member_id FROM gone ORDER BY random()",
                [ballot.pk, ballot.pk],
            )
            return cursor.rowcount
    members = list(BallotReceipt.objects.filter(ballot=ballot).values_list("member_id", flat=True))
    random.SystemRandom().shuffle(members)
    BallotReceipt.objects.filter(ballot=ballot)._raw_delete(connection.alias)
    if connection.vendor == "sqlite":  # plain rows: the same table Django writes (UUIDs as 32 hex digits)
        table = connection.ops.quote_name(BallotReceipt._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (id, ballot_id, member_id) VALUES (%s, %s, %s)",
                [(uuid.uuid4().hex, ballot.pk, m) for m in members],
            )
    else:
        BallotReceipt.objects.bulk_create(BallotReceipt(ballot=ballot, member_id=m) for m in members)
    return len(members)


def _enqueue(name: str, ballot_id: int) -> None:
    from tdkt.councils import tasks

    getattr(tasks, name).enqueue(ballot_id=ballot_id)


def ballot_close(*, actor, ballot_id: int) -> list[ItemResult]:
    """Close the ballot; the result is final. Per item: the counts, the base (all voting members or those
    present, from the vote rule in force at open), the votes needed, passed or not. The council's members
    are notified, and the registered listeners get the results of their items. `actor` None: the system
    (a ballot whose time has run out)."""
    with transaction.atomic():
        ballot = (
            Ballot.objects.select_for_update(of=("self",))
            .select_related("meeting__council__unit")
            .get(pk=ballot_id)
        )
        if actor is not None:
            require_perm(actor, "councils.run_meeting", ballot.meeting)
        old = ballot.status
        ballot.status = next_status(old, BallotAction.CLOSE)
        if ballot.mode == BallotMode.PAPER and ballot.tallies_entered_at is None:
            raise ServiceError(_("Ban kiểm phiếu chưa nhập kết quả kiểm phiếu."))
        voted = _shuffle_receipts(ballot) if ballot.mode == BallotMode.ELECTRONIC else ballot.papers_cast
        results = compute_results(ballot)
        ballot.closed_at = timezone.now()
        ballot.save(update_fields=["status", "closed_at"])
        audit(
            actor,
            "ballot.close",
            ballot,
            action=AuditAction.UPDATE,
            unit_id=ballot.meeting.council.unit_id,
            changes={
                "status": [old, ballot.status],
                "voted": voted,
                "passed": sum(1 for r in results if r.passed),
                "items": len(results),
                # paper: the committee's figures, now final (agree, disagree, abstain per item)
                **(
                    {"counts": {r.label: [r.agree, r.disagree, r.abstain] for r in results}}
                    if ballot.mode == BallotMode.PAPER
                    else {}
                ),
            },
        )
        for prefix, fn in list(_close_listeners):
            mine = [r for r in results if r.key.startswith(prefix)]
            if mine:
                fn(ballot, mine)
        transaction.on_commit(lambda: _enqueue("notify_ballot_closed", ballot.pk))
    return results
