"""Prices, discounts and taxes."""

TAX_RATE = 0.2


def round_cents(amount):
    return round(amount, 2)


def line_total(unit_price, quantity):
    return round_cents(unit_price * quantity)


def discount(amount, rate):
    return round_cents(amount * (1 - rate))


def with_tax(amount, rate=TAX_RATE):
    return round_cents(amount + amount * rate)
