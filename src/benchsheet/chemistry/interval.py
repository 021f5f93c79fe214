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

    # The arithmetic takes a number as the point interval it is, without making one: the
    # same results, with an Interval fewer per operation.

    def __add__(self, other: Interval | float) -> Interval:
        if isinstance(other, Interval):
            return Interval(self.low + other.low, self.nominal + other.nominal,
                            self.high + other.high)
        x = float(other)
        return Interval(self.low + x, self.nominal + x, self.high + x)

    __radd__ = __add__

    def __sub__(self, other: Interval | float) -> Interval:
        o = _as(other)
        return Interval(self.low - o.high, self.nominal - o.nominal, self.high - o.low)

    def __rsub__(self, other: float) -> Interval:
        return _as(other) - self

    def __mul__(self, other: Interval | float) -> Interval:
        if isinstance(other, Interval):
            ends = (self.low * other.low, self.low * other.high, self.high * other.low,
                    self.high * other.high)
            return Interval(min(ends), self.nominal * other.nominal, max(ends))
        x = float(other)
        low, high = self.low * x, self.high * x
        # min(low, high) and max(low, high), as those two builtins pick (a NaN too), without
        # calling them: a number times an interval is the commonest step of every amount.
        return Interval(high if high < low else low, self.nominal * x,
                        high if high > low else low)

    __rmul__ = __mul__

    def __truediv__(self, other: Interval | float) -> Interval:
        if not isinstance(other, Interval):
            x = float(other)
            if x <= 0 <= x:
                raise ZeroDivisionError("interval divisor contains zero")
            r = 1 / x  # times the reciprocal, as self * Interval.point(1 / x)
            low, high = self.low * r, self.high * r
            return Interval(high if high < low else low, self.nominal * r,  # as in __mul__
                            high if high > low else low)
        if other.low <= 0 <= other.high:
            raise ZeroDivisionError("interval divisor contains zero")
        return self * Interval(1 / other.high, 1 / other.nominal, 1 / other.low)

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
