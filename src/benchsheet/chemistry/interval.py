"""Closed intervals of floats: amounts from ranges (3.8–5.3 mg) carry through every formula."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Interval:
    """[low, high] with a nominal value inside; a point value has low == nominal == high."""

    low: float
    nominal: float
    high: float

    @classmethod
    def point(cls, value: float) -> Interval:
        return cls(value, value, value)

    @classmethod
    def of(cls, triple: tuple[float, float, float]) -> Interval:
        return cls(*triple)

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    def __add__(self, other: Interval | float) -> Interval:
        o = _as(other)
        return Interval(self.low + o.low, self.nominal + o.nominal, self.high + o.high)

    __radd__ = __add__

    def __sub__(self, other: Interval | float) -> Interval:
        o = _as(other)
        return Interval(self.low - o.high, self.nominal - o.nominal, self.high - o.low)

    def __rsub__(self, other: float) -> Interval:
        return _as(other) - self

    def __mul__(self, other: Interval | float) -> Interval:
        o = _as(other)
        ends = (self.low * o.low, self.low * o.high, self.high * o.low, self.high * o.high)
        return Interval(min(ends), self.nominal * o.nominal, max(ends))

    __rmul__ = __mul__

    def __truediv__(self, other: Interval | float) -> Interval:
        o = _as(other)
        if o.low <= 0 <= o.high:
            raise ZeroDivisionError("interval divisor contains zero")
        return self * Interval(1 / o.high, 1 / o.nominal, 1 / o.low)

    def __rtruediv__(self, other: float) -> Interval:
        return _as(other) / self

    def contains(self, value: float, rel: float = 0.0) -> bool:
        """Is ``value`` inside, allowing a relative slack ``rel`` at both ends?"""
        return self.low * (1 - rel) <= value <= self.high * (1 + rel)

    def distance(self, value: float) -> float:
        """Relative distance of ``value`` outside the interval (0 when inside)."""
        if value < self.low:
            return (self.low - value) / abs(self.low) if self.low else float("inf")
        if value > self.high:
            return (value - self.high) / abs(self.high) if self.high else float("inf")
        return 0.0

    def map(self, scale: float) -> Interval:
        return self * scale


def _as(value: Interval | float) -> Interval:
    return value if isinstance(value, Interval) else Interval.point(float(value))


def minimum(values: list[Interval]) -> Interval:
    """Interval of the minimum of several intervals (the limiting one)."""
    return Interval(min(v.low for v in values), min(v.nominal for v in values),
                    min(v.high for v in values))
