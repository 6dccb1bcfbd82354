"""The vocabularies and partial dates of a record: plain Python, cheap to import."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final, Self

_PARTIAL_DATE: Final = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def counted(count: int, noun: str) -> str:
    """A count with its noun in the right number: '1 file', '2 files'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class Labelled(StrEnum):
    """A vocabulary stored as short codes and shown in words."""

    @property
    def label(self) -> str:
        """The words a reader sees."""
        return _LABELS.get(self.value, self.value.replace("_", " "))

    @classmethod
    def from_text(cls, text: str) -> Self | None:
        """The member named by its code or its words, however they are cased, spaced or accented."""
        from finelog.registry import normalise  # not at start-up: `finelog --help` stays light

        wanted = normalise(text.replace("_", " "))
        for member in cls:
            if wanted in (normalise(member.label), member.value.replace("_", " ")):
                return member
        return None


class Sector(Labelled):
    """The sector of the sanctioned party (the CMS Enforcement Tracker's set)."""

    INDUSTRY_COMMERCE = "industry_commerce"
    INDIVIDUALS = "individuals"
    MEDIA_TELECOMS = "media_telecoms"
    FINANCE_INSURANCE = "finance_insurance"
    PUBLIC_EDUCATION = "public_education"
    HEALTH = "health"
    EMPLOYMENT = "employment"
    TRANSPORT_ENERGY = "transport_energy"
    ACCOMMODATION_HOSPITALITY = "accommodation_hospitality"
    REAL_ESTATE = "real_estate"
    NOT_ASSIGNED = "not_assigned"


class ViolationType(Labelled):
    """What kind of infringement was found (the CMS Enforcement Tracker's set)."""

    LEGAL_BASIS = "legal_basis"
    PRINCIPLES = "principles"
    SECURITY = "security"
    DATA_SUBJECT_RIGHTS = "data_subject_rights"
    INFORMATION = "information"
    COOPERATION = "cooperation"
    BREACH_NOTIFICATION = "breach_notification"
    DPO_INVOLVEMENT = "dpo_involvement"
    PROCESSING_AGREEMENT = "processing_agreement"
    DPO_APPOINTMENT = "dpo_appointment"
    UNKNOWN = "unknown"


class Role(Labelled):
    """The sanctioned party's role in the processing."""

    CONTROLLER = "controller"
    PROCESSOR = "processor"
    JOINT_CONTROLLER = "joint_controller"
    UNKNOWN = "unknown"


class Kind(Labelled):
    """What kind of sanction the decision imposed."""

    FINE = "fine"
    PENALTY_PAYMENT = "penalty_payment"
    REPRIMAND = "reprimand"
    ORDER = "order"


class EventKind(Labelled):
    """Something that happened to a decision after it was taken."""

    APPEAL_LODGED = "appeal_lodged"
    APPEAL_WITHDRAWN = "appeal_withdrawn"
    FINAL = "final"
    UPHELD = "upheld"
    REDUCED = "reduced"
    ANNULLED = "annulled"
    REMITTED = "remitted"
    PAID = "paid"
    UNPAID = "unpaid"


class Status(Labelled):
    """Where a decision stands in its appeals."""

    IMPOSED = "imposed"
    APPEALED = "appealed"
    FINAL = "final"
    UPHELD = "upheld"
    REDUCED = "reduced"
    ANNULLED = "annulled"
    REMITTED = "remitted"


class SourceKind(Labelled):
    """What a source is."""

    AUTHORITY = "authority"
    COURT = "court"
    COMPANY = "company"
    PRESS = "press"
    TRACKER = "tracker"


class EuroBasis(Labelled):
    """Where a decision's euro amount comes from."""

    ORIGINAL = "original"
    STATED = "stated"
    ECB = "ecb"


_LABELS: Final = {
    "industry_commerce": "Industry and Commerce",
    "individuals": "Individuals and Private Associations",
    "media_telecoms": "Media, Telecoms and Broadcasting",
    "finance_insurance": "Finance, Insurance and Consulting",
    "public_education": "Public Sector and Education",
    "health": "Health Care",
    "employment": "Employment",
    "transport_energy": "Transportation and Energy",
    "accommodation_hospitality": "Accommodation and Hospitality",
    "real_estate": "Real Estate",
    "not_assigned": "Not assigned",
    "legal_basis": "Insufficient legal basis for data processing",
    "principles": "Non-compliance with general data processing principles",
    "security": "Insufficient technical and organisational measures to ensure information security",
    "data_subject_rights": "Insufficient fulfilment of data subjects rights",
    "information": "Insufficient fulfilment of information obligations",
    "cooperation": "Insufficient cooperation with supervisory authority",
    "breach_notification": "Insufficient fulfilment of data breach notification obligations",
    "dpo_involvement": "Insufficient involvement of data protection officer",
    "processing_agreement": "Insufficient data processing agreement",
    "dpo_appointment": "Lack of appointment of data protection officer",
    "unknown": "Unknown",
    "joint_controller": "joint controller",
    "penalty_payment": "penalty payment",
    "ecb": "ECB reference rate",
    "stated": "stated by the authority",
    "original": "original currency",
}


class Precision(StrEnum):
    """How precisely a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or only the year; never an invented day."""

    start: date
    precision: Precision

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read `2022-10-17`, `2022-10` or `2022`."""
        match = _PARTIAL_DATE.match(text.strip())
        if match is None:
            raise ValueError(f"not a date: {text!r} (write YYYY-MM-DD, YYYY-MM or YYYY)")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            if day is not None and month is not None:
                return cls(date(year, month, day), Precision.DAY)
            if month is not None:
                return cls(date(year, month, 1), Precision.MONTH)
            return cls(date(year, 1, 1), Precision.YEAR)
        except ValueError:
            raise ValueError(f"no such date: {text!r}") from None

    @property
    def end(self) -> date:
        """The last day the date may stand for."""
        if self.precision is Precision.DAY:
            return self.start
        if self.precision is Precision.MONTH:
            last = calendar.monthrange(self.start.year, self.start.month)[1]
            return self.start.replace(day=last)
        return self.start.replace(month=12, day=31)

    def __str__(self) -> str:
        iso = self.start.isoformat()
        return {Precision.DAY: iso, Precision.MONTH: iso[:7], Precision.YEAR: iso[:4]}[self.precision]


class Tracker(StrEnum):
    """The tracker exports `finelog import` reads."""

    CMS = "cms"
    PRIVACYAFFAIRS = "privacyaffairs"


class SortKey(StrEnum):
    """What `list --sort` orders by."""

    DATE = "date"
    AMOUNT = "amount"
    STANDING = "standing"
    AFFECTED = "affected"
    REGULATOR = "regulator"
    COUNTRY = "country"
    ENTITY = "entity"
    ID = "id"


class RankBy(StrEnum):
    """What `top --by` ranks by."""

    AMOUNT = "amount"
    STANDING = "standing"
    AFFECTED = "affected"
    DATE = "date"


class GroupBy(StrEnum):
    """What `summary --by` and `top --group` group decisions by."""

    REGULATOR = "regulator"
    COUNTRY = "country"
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    SECTOR = "sector"
    TYPE = "type"
    ARTICLE = "article"
    LAW = "law"
    STATUS = "status"
    ROLE = "role"
    KIND = "kind"
    ENTITY = "entity"
    GROUP = "group"
