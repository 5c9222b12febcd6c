"""Display units: how an amount kept in its base unit (元) is shown in a document.

Amounts are computed in the base unit (元, exact :class:`~decimal.Decimal`) and only scaled when
shown.  A :class:`Unit` is the one place that knows a display unit's name (``萬元``), how many base
units it holds (10000), how many places it prints (2, so its smallest step is 100 元) and the short
word warnings use (``萬``).  Every figure a document prints goes through one: the Jinja ``money``
filter, the plain amounts in sentences (``去年銷售額 ≥ 100萬``), the charts' axes and the channel
checks.  :class:`Amount` pairs a value with its unit, so that a physical quantity (``7,000噸``,
``40萬套``) can be the same kind of value next to money.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Unit:
    """A display unit of amounts kept in a base unit.

    :param name: what a column head or a figure's suffix says: ``萬元``, ``元``.
    :param divisor: base units in one display unit: ``Decimal(10000)`` for 萬元.
    :param places: decimal places shown: 2 for 萬元 (0.01 萬元), 0 for 元.
    :param word: the short word after a plain amount in a sentence: ``萬`` (``1,092萬``) or ``元``.
    """

    name: str
    divisor: Decimal
    places: int
    word: str

    @property
    def quantum(self) -> Decimal:
        """The smallest amount the unit shows, in base units: 100 元 for 萬元 with two places."""
        return self.divisor / (Decimal(10) ** self.places)

    def scaled(self, amount: Decimal) -> Decimal:
        """``amount`` (base units) in this unit, exactly: 10920000 元 → 1092 萬元."""
        return amount / self.divisor

    def base(self, value: Decimal) -> Decimal:
        """A value in this unit back in base units: 1092 萬元 → 10920000 元."""
        return value * self.divisor

    def rounded(self, amount: Decimal, places: int | None = None) -> Decimal:
        """``amount`` in this unit, rounded half up to ``places`` (default: the unit's)."""
        places = self.places if places is None else places
        return self.scaled(amount).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)

    def format(self, amount: Decimal, places: int | None = None) -> str:
        """The figure a table prints, with thousands separators: 10920000 元 → ``1,092.00`` (萬元)."""
        places = self.places if places is None else places
        return f"{self.rounded(amount, places):,.{places}f}"

    def text(self, amount: Decimal) -> str:
        """The table figure followed by the unit's name: ``1,092.00萬元``."""
        return f"{self.format(amount)}{self.name}"

    def plain(self, amount: Decimal) -> str:
        """The exact amount in a sentence, without trailing zeros: 1000000 元 → ``100萬``, 12345 元 → ``1.2345萬``."""
        return f"{self.scaled(amount).normalize():,f}{self.word}"


YUAN = Unit("元", Decimal(1), 0, "元")
WAN_YUAN = Unit("萬元", Decimal(10000), 2, "萬")

#: the money units a workspace may choose (``unit:`` of docgen.yaml); 万元 is 萬元 in simplified script
MONEY_UNITS: dict[str, Unit] = {"元": YUAN, "萬元": WAN_YUAN, "万元": Unit("万元", Decimal(10000), 2, "萬")}


def money_unit(name: str) -> Unit:
    """The money unit called ``name`` (``元``, ``萬元`` or ``万元``).

    :raises KeyError: for any other name (the workspace config admits only these).
    """
    return MONEY_UNITS[name]


@dataclass(frozen=True)
class Amount:
    """A value with its unit: the pair a figure is printed from.

    :param value: in the unit's base (元 for money).
    :param unit: how it is shown.
    """

    value: Decimal
    unit: Unit

    def __str__(self) -> str:
        return self.unit.text(self.value)


def quantity_unit(name: str, places: int = 0) -> Unit:
    """A quantity's unit (噸, 套, 台 …): counted as it is, with ``places`` decimals (0: whole tons or sets)."""
    return Unit(name, Decimal(1), places, name)


def quantity_text(value: Decimal, name: str) -> str:
    """A quantity in a sentence: a whole number of thousands from 10萬 up in 萬 (400000套 → ``40萬套``,
    125000套 → ``12.5萬套``), anything else with thousands separators (50000套 → ``50,000套``, 7000噸 →
    ``7,000噸``); never ``400000套``."""
    if value >= 100000 and value % 1000 == 0:
        return Unit(f"萬{name}", Decimal(10000), 1, f"萬{name}").plain(value)
    return quantity_unit(name).plain(value)
