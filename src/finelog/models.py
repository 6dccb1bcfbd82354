"""What a decision is: Pydantic models, vocabularies and the values derived from a record."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    field_validator,
    model_validator,
)

from finelog import money
from finelog.articles import ArticleError, ArticleRef, parse_reference
from finelog.registry import Regulator, regulators
from finelog.vocab import (
    EuroBasis,
    EventKind,
    Kind,
    PartialDate,
    Precision,
    Role,
    Sector,
    SourceKind,
    Status,
    ViolationType,
)

__all__ = [
    "Decision",
    "Entity",
    "EuroBasis",
    "Event",
    "EventKind",
    "Kind",
    "Links",
    "Order",
    "Part",
    "PartialDate",
    "PeriodicPenalty",
    "Precision",
    "References",
    "Role",
    "Sector",
    "Source",
    "SourceKind",
    "Status",
    "ViolationType",
    "consistency_problems",
]

ID_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_MAX_LENGTH: Final = 120
CURRENCY_PATTERN: Final = r"^[A-Z]{3}$"
URL_PATTERN: Final = r"^https?://[^\s/$.?#][^\s]*$"
ETID_PATTERN: Final = r"^ETid-\d+$"
PRIVACYAFFAIRS_PATTERN: Final = r"^\d+$"


_COURT_EVENTS: Final = {
    EventKind.APPEAL_LODGED: Status.APPEALED,
    EventKind.APPEAL_WITHDRAWN: Status.FINAL,
    EventKind.FINAL: Status.FINAL,
    EventKind.UPHELD: Status.UPHELD,
    EventKind.REDUCED: Status.REDUCED,
    EventKind.ANNULLED: Status.ANNULLED,
    EventKind.REMITTED: Status.REMITTED,
}


def _partial_date(value: object) -> PartialDate:
    """Validate a partial date from text (or a date object built in code)."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, date):
        return PartialDate(value, Precision.DAY)
    if not isinstance(value, str):
        raise ValueError("a date must be written YYYY-MM-DD, YYYY-MM or YYYY")
    return PartialDate.parse(value)


def _article(value: object) -> ArticleRef:
    """Validate one article reference from text."""
    if isinstance(value, ArticleRef):
        return value
    if not isinstance(value, str):
        raise ValueError("an article reference is text, e.g. 'Art. 5(1)(f) GDPR'")
    try:
        return parse_reference(value)
    except ArticleError as error:
        raise ValueError(str(error)) from None


def _amount(value: object) -> Decimal:
    """Validate an exact amount written in digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if isinstance(value, str):
        value = money.parse_record_amount(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError("an amount is written in digits, e.g. 1000000")
    if value < 0:
        raise ValueError("an amount cannot be negative")
    return value


def _count(value: object) -> object:
    """A count, `_` groups allowed as in YAML 1.1; `true` refused, though Python reads it as 1."""
    if isinstance(value, bool):
        raise ValueError(f"a count is a whole number written in digits, not {str(value).lower()}")
    return value.replace("_", "") if isinstance(value, str) else value


DateField = Annotated[PartialDate, PlainValidator(_partial_date), PlainSerializer(str)]
ArticleField = Annotated[ArticleRef, PlainValidator(_article), PlainSerializer(str)]
Amount = Annotated[Decimal, PlainValidator(_amount)]
Currency = Annotated[str, Field(pattern=CURRENCY_PATTERN)]
Text = Annotated[str, Field(min_length=1)]
Url = Annotated[str, Field(pattern=URL_PATTERN)]
DecisionId = Annotated[str, Field(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)]
Count = Annotated[int, BeforeValidator(_count), Field(ge=0)]


class Strict(BaseModel):
    """Base for every model: unknown keys are errors; values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Entity(Strict):
    """Who was sanctioned."""

    name: Text | None = None
    description: Text | None = None
    group: Text | None = None
    role: Role
    controller: Text | None = None

    @model_validator(mode="after")
    def _named_or_described(self) -> Entity:
        if self.name is None and self.description is None:
            raise ValueError("give the entity's name, or a description for an unnamed party")
        return self

    @property
    def display(self) -> str:
        """The name, or the description of an unnamed party in brackets."""
        return self.name if self.name is not None else f"[unnamed: {self.description}]"


class Source(Strict):
    """Where a fact comes from."""

    url: Url
    kind: SourceKind
    title: Text | None = None

    @property
    def primary(self) -> bool:
        """An authority's or a court's own publication."""
        return self.kind in (SourceKind.AUTHORITY, SourceKind.COURT)


class PeriodicPenalty(Strict):
    """A penalty that accrues per period until an order is obeyed."""

    amount: Amount
    currency: Currency
    per: Literal["day", "week", "month"]


class Order(Strict):
    """Something the decision ordered besides the money."""

    description: Text
    deadline_days: Count | None = None
    periodic_penalty: PeriodicPenalty | None = None


class Event(Strict):
    """Something that happened after the decision: an appeal, a judgment, a payment."""

    date: DateField
    kind: EventKind
    court: Text | None = None
    amount: Amount | None = None
    case_number: Text | None = None
    note: Text | None = None
    source: Url | None = None


class Part(Strict):
    """One part of a fine split across infringements or entities."""

    amount: Amount
    description: Text
    articles: list[ArticleField] = []


class Links(Strict):
    """Other decisions this one depends on."""

    enforces: DecisionId | None = None
    replaces: DecisionId | None = None


class References(Strict):
    """Ids of this decision in other data sets."""

    etid: Annotated[str, Field(pattern=ETID_PATTERN)] | None = None
    privacyaffairs: Annotated[str, Field(pattern=PRIVACYAFFAIRS_PATTERN)] | None = None


class Decision(Strict):
    """One enforcement decision, as one YAML file records it."""

    id: DecisionId
    regulator: str
    decision_date: DateField
    announced_date: DateField | None = None
    case_number: Text | None = None
    entity: Entity
    sector: Sector
    kind: Kind
    amount: Amount | None = None
    currency: Currency | None = None
    amount_eur: Amount | None = None
    parts: list[Part] = []
    articles: list[ArticleField]
    violation_types: Annotated[list[ViolationType], Field(min_length=1)]
    affected: Count | None = None
    orders: list[Order] = []
    events: list[Event] = []
    links: Links | None = None
    summary: Text
    notes: Text | None = None
    sources: Annotated[list[Source], Field(min_length=1)]
    references: References | None = None
    provenance: Text | None = None

    @field_validator("regulator")
    @classmethod
    def _known_regulator(cls, value: str) -> str:
        if value not in regulators():
            close = regulators().close(value)
            hint = f" (did you mean {', '.join(close)}?)" if close else " (see `finelog regulators`)"
            raise ValueError(f"unknown regulator {value!r}{hint}")
        return value

    @property
    def authority(self) -> Regulator:
        """The authority that decided."""
        return regulators().by_code[self.regulator]

    @property
    def country(self) -> str:
        """The decision's country, which follows from its regulator."""
        return self.authority.country

    @cached_property
    def euro(self) -> tuple[Decimal | None, EuroBasis | None]:
        """The amount as imposed in euros, and where that figure comes from."""
        if self.amount is None or self.currency is None:
            return None, None
        if self.currency == "EUR":
            return self.amount, EuroBasis.ORIGINAL
        if self.amount_eur is not None:
            return self.amount_eur, EuroBasis.STATED
        return money.to_euros(self.amount, self.currency, self.decision_date.start), EuroBasis.ECB

    @property
    def imposed_eur(self) -> Decimal | None:
        """The amount as imposed, in euros."""
        return self.euro[0]

    @cached_property
    def standing(self) -> Decimal | None:
        """The amount that stands after the appeals recorded so far, in the original currency."""
        if self.amount is None:
            return None
        current = self.amount
        for event in self.events:
            if event.kind is EventKind.ANNULLED:
                current = Decimal(0)
            elif event.kind is EventKind.REDUCED and event.amount is not None:
                current = event.amount
            elif event.kind in (EventKind.UPHELD, EventKind.REMITTED):
                current = event.amount if event.amount is not None else self.amount
        return current

    @property
    def standing_eur(self) -> Decimal | None:
        """The standing amount in euros, at the same rate as the amount imposed."""
        imposed_eur, standing = self.imposed_eur, self.standing
        if imposed_eur is None or standing is None or self.amount is None:
            return None
        if standing == self.amount:
            return imposed_eur
        if self.amount == 0:
            return Decimal(0)
        return (standing * imposed_eur / self.amount).quantize(money.CENT)

    @property
    def status(self) -> Status:
        """Where the decision stands: the latest appeal event decides."""
        court_events = [e for e in self.events if e.kind in _COURT_EVENTS]
        return _COURT_EVENTS[court_events[-1].kind] if court_events else Status.IMPOSED

    @property
    def payment(self) -> str | None:
        """`paid` or `unpaid` where reported."""
        paid = [e.kind.value for e in self.events if e.kind in (EventKind.PAID, EventKind.UNPAID)]
        return paid[-1] if paid else None

    @property
    def laws(self) -> list[str]:
        """The laws the decision's articles cite, in order of first citation."""
        return list(dict.fromkeys(ref.law for ref in self.articles))


Located = list[tuple[tuple[str | int, ...], str]]


def consistency_problems(decision: Decision, today: date, failed: Collection[str] = ()) -> Located:
    """Rules that span several fields, each with the location of the field at fault.

    `failed` names fields that did not validate (the decision holds stand-ins for them):
    rules that read any of them are left out, so none reports what a stand-in says.
    """
    return [
        problem for fields, rule in _RULES if fields.isdisjoint(failed) for problem in rule(decision, today)
    ]


def _future_decision(decision: Decision, today: date) -> Located:
    """The decision date is not in the future."""
    if decision.decision_date.start > today:
        return [(("decision_date",), f"{decision.decision_date} is in the future")]
    return []


def _announced_early(decision: Decision, today: date) -> Located:
    """The announcement does not come before the decision."""
    announced = decision.announced_date
    if announced is not None and announced.end < decision.decision_date.start:
        message = f"announced {announced}, before the decision of {decision.decision_date}"
        return [(("announced_date",), message)]
    return []


def _id_prefix(decision: Decision, today: date) -> Located:
    """The id starts with the regulator's code."""
    prefix = f"{decision.regulator.lower()}-"
    if not decision.id.startswith(prefix):
        return [(("id",), f"an id of a {decision.regulator} decision starts with {prefix!r}")]
    return []


def _own_controller(decision: Decision, today: date) -> Located:
    """A processor is not its own controller."""
    if decision.entity.role is Role.PROCESSOR and decision.entity.controller == decision.entity.name:
        return [(("entity", "controller"), "a processor cannot be its own controller")]
    return []


def _enforcer_kind(decision: Decision, today: date) -> Located:
    """Only a penalty payment enforces another decision."""
    if decision.links and decision.links.enforces and decision.kind is not Kind.PENALTY_PAYMENT:
        return [(("links", "enforces"), "only a penalty payment enforces another decision")]
    return []


def _money_problems(decision: Decision, today: date) -> Located:
    """Amounts, currencies and parts agree with the kind of sanction."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    monetary = decision.kind in (Kind.FINE, Kind.PENALTY_PAYMENT)
    if decision.amount is not None and decision.currency is None:
        problems.append((("currency",), "an amount needs its currency (ISO 4217, e.g. EUR)"))
    if decision.currency is not None and decision.amount is None:
        problems.append((("amount",), "a currency is given but no amount"))
    if not monetary and decision.amount is not None:
        problems.append((("amount",), f"a {decision.kind.value} carries no amount; use kind: fine"))
    if decision.amount_eur is not None and decision.currency == "EUR":
        problems.append((("amount_eur",), "amount_eur is only for non-euro amounts"))
    if decision.parts and sum(p.amount for p in decision.parts) != decision.amount:
        total = sum(p.amount for p in decision.parts)
        problems.append((("parts",), f"the parts add up to {total}, not to the amount {decision.amount}"))
    return problems


def _rate_problems(decision: Decision, today: date) -> Located:
    """A non-euro amount without a stated euro figure needs an ECB rate on its date."""
    currency = decision.currency
    if decision.amount is None or currency in (None, "EUR") or decision.amount_eur is not None:
        return []
    try:
        money.ecb_rate(currency, decision.decision_date.start)
    except money.RateTooEarly as error:
        when = decision.decision_date
        return [(("decision_date",), f"{when} is before the ECB's first {currency} rate ({error.first}): "
                 "a placeholder for an unknown date? Write the real date, or state amount_eur")]  # fmt: skip
    except money.RateError as error:
        return [(("currency",), f"{error}; state amount_eur from the authority's decision")]
    return []


def _event_problems(decision: Decision, today: date) -> Located:
    """Events follow the decision and each other, are not in the future, and carry their amounts."""
    problems: Located = []
    previous: PartialDate | None = None
    for index, event in enumerate(decision.events):
        where: tuple[str | int, ...] = ("events", index, "date")
        if event.date.start > today:
            problems.append((where, f"{event.date} is in the future"))
        elif previous is not None and event.date.end < previous.start:
            problems.append((where, f"{event.date} comes before the event above it ({previous}): "
                             "list events in date order"))  # fmt: skip
        elif event.date.end < decision.decision_date.start <= today:  # a future date is the fault itself
            problems.append((where, f"{event.date} is before the decision ({decision.decision_date})"))
        if event.kind is EventKind.REDUCED and event.amount is None:
            problems.append((("events", index, "amount"), "a reduction needs the new amount"))
        if event.amount is not None and decision.amount is not None and event.amount > decision.amount:
            problems.append((("events", index, "amount"), "more than the amount imposed"))
        previous = event.date
    return problems


_RULES: Final[list[tuple[frozenset[str], Callable[[Decision, date], Located]]]] = [
    (frozenset({"decision_date"}), _future_decision),
    (frozenset({"decision_date", "announced_date"}), _announced_early),
    (frozenset({"kind", "amount", "currency", "amount_eur", "parts"}), _money_problems),
    (frozenset({"amount", "currency", "amount_eur", "decision_date"}), _rate_problems),
    (frozenset({"events", "decision_date", "amount"}), _event_problems),
    (frozenset({"id", "regulator"}), _id_prefix),
    (frozenset({"entity"}), _own_controller),
    (frozenset({"links", "kind"}), _enforcer_kind),
]
